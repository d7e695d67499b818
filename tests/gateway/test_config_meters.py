"""DL/T 645 and OPC UA points in the configuration: refused with the file, line and reason."""

from __future__ import annotations

import pytest
from test_config import problems

from nenghao.gateway.config import load_config

GOOD = """\
[gateway]
credit_code = "91210300MA0XY1234W"

[platform]
url = "https://nh.example.cn/nenghao"
key_id = "nhk_abc"
secret_file = "gateway.secret"

[[dlt645.links]]
name = "rs485-1"
transport = "serial"
device = "/dev/ttyUSB0"

[[opcua.servers]]
name = "scada"
endpoint = "opc.tcp://10.0.0.7:4840/"
security_mode = "SignAndEncrypt"
security_policy = "Basic256Sha256"
certificate = "gateway-cert.der"
private_key = "gateway-key.pem"
identity = "username"
username = "reader"
password_file = "opcua.password"

[[items]]
code = "E-01-M"

[[items]]
code = "E-02-M"

[[dlt645.points]]
item = "E-01-M"
link = "rs485-1"
address = "202312345678"
data_id = "00010000"

[[opcua.points]]
item = "E-02-M"
server = "scada"
node_id = "ns=2;s=Meter0001.Energy"
"""


def test_a_good_config_loads(tmp_path) -> None:
    (tmp_path / "gateway.toml").write_text(GOOD)
    config = load_config(tmp_path / "gateway.toml")
    assert [p.item for p in config.all_points] == ["E-01-M", "E-02-M"]
    assert config.dlt645_points[0].identifier.name == "（当前）正向有功总电能"
    assert config.opcua_servers["scada"].security_mode == "SignAndEncrypt"


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ('address = "202312345678"', 'address = "20231234567X"', 34, "12 decimal digits"),
        ('data_id = "00010000"', 'data_id = "02010100"', 35, "unknown data identifier"),
        ('node_id = "ns=2;s=Meter0001.Energy"', 'node_id = "Meter1"', 40, "node id 'Meter1'"),
        ('link = "rs485-1"\naddress', 'link = "rs485-2"\naddress', 33, "unknown DL/T 645 link"),
        ('server = "scada"', 'server = "plc"', 39, "unknown OPC UA server"),
        ('device = "/dev/ttyUSB0"', "baudrate = 2400", 9, "a serial link needs device"),
        ('security_policy = "Basic256Sha256"', 'security_policy = "None"', 18, "Sign and"),
        ('password_file = "opcua.password"', "", 14, "needs username and password_file"),
        ('item = "E-02-M"', 'item = "E-01-M"', 38, "already read by dlt645.points[0]"),
    ],
)
def test_bad_points(tmp_path, old, new, line, words) -> None:
    found = problems(tmp_path, GOOD.replace(old, new))
    assert any(n == line and words in reason for n, reason in found), found


def test_a_password_inside_the_config_is_refused(tmp_path) -> None:
    text = GOOD.replace('username = "reader"', 'username = "reader"\npassword = "s3cret"')
    assert (
        23,
        "'password': no secret is written into the config; put it in a file readable by the"
        " gateway only and give password_file",
    ) in problems(tmp_path, text)


def test_overlapping_points(tmp_path) -> None:
    more_items = '[[items]]\ncode = "E-03-M"\n\n[[items]]\ncode = "E-04-M"\n\n'
    text = (
        GOOD.replace("[[dlt645.points]]", more_items + "[[dlt645.points]]", 1)
        + '\n[[dlt645.points]]\nitem = "E-03-M"\nlink = "rs485-1"\naddress = "202312345678"\n'
        + '\n[[opcua.points]]\nitem = "E-04-M"\nserver = "scada"\n'
        + 'node_id = "ns=2;s=Meter0001.Energy"\n'
    )
    found = problems(tmp_path, text)
    assert (
        48,
        "points[1] reads the same meter address and data identifier on its link as points[0]",
    ) in found
    assert (53, "points[1] reads the same node on its server as points[0]") in found
