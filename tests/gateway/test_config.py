"""The configuration file refuses, with the file, the line and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from nenghao.gateway.config import ConfigError, load_config

GOOD = """\
[gateway]
credit_code = "91210300MA0XY1234W"
cadence_min = 15

[platform]
url = "https://nh.example.cn/nenghao"
key_id = "nhk_abc"
secret_file = "gateway.secret"

[[modbus.links]]
name = "line1"
host = "10.0.0.5"

[[items]]
code = "E-01-M"
register_max = 999999.99

[[items]]
code = "E-02-M"

[[points]]
item = "E-01-M"
link = "line1"
address = 0
data_type = "u32"

[[points]]
item = "E-02-M"
link = "line1"
address = 2
data_type = "float32"
word_order = "little"
"""


def problems(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    path = tmp_path / "gateway.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    for line in str(caught.value).splitlines():
        assert line.startswith(f"{path}:"), line  # file:line: reason
    return [(p.line, p.reason) for p in caught.value.problems]


def test_a_good_config_loads(tmp_path) -> None:
    (tmp_path / "gateway.toml").write_text(GOOD)
    config = load_config(tmp_path / "gateway.toml")
    assert [p.item for p in config.points] == ["E-01-M", "E-02-M"]
    assert config.points[1].word_order == "little"
    assert config.queue_path == tmp_path.resolve() / "gateway-queue.db"


def test_unknown_and_duplicate_item_codes(tmp_path) -> None:
    text = GOOD.replace('code = "E-02-M"', 'code = "E-01-M"')
    found = problems(tmp_path, text)
    assert found[0][0] == 19
    assert "duplicate item code 'E-01-M'" in found[0][1]
    assert found[1][0] == 28
    assert "unknown item code 'E-02-M'" in found[1][1]


def test_two_points_on_one_item(tmp_path) -> None:
    text = GOOD.replace('item = "E-02-M"', 'item = "E-01-M"')
    (line, reason), *_ = problems(tmp_path, text)
    assert line == 28
    assert "already read by points[0]" in reason


def test_overlapping_registers(tmp_path) -> None:
    text = GOOD.replace("address = 2", "address = 1")
    assert problems(tmp_path, text) == [
        (30, "registers 1..2 overlap points[0] (0..1) on link 'line1' unit 1 function 3")
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ('data_type = "u32"', 'data_type = "int128"', 25, "points.0.data_type"),
        ('word_order = "little"', 'word_order = "middle"', 32, "points.1.word_order"),
        ('data_type = "float32"', 'data_type = "u16"', 32, "word_order does not apply"),
        ("cadence_min = 15", "cadence_min = 7", 3, "must divide the hour"),
        ("cadence_min = 15", "cadence_min = 0", 3, "must divide the hour"),
        ("cadence_min = 15", "cadence_min = 20", 14, "not a whole number of cadences"),
    ],
)
def test_impossible_data_type_or_cadence(tmp_path, old, new, line, words) -> None:
    found = problems(tmp_path, GOOD.replace(old, new))
    assert any(n == line and words in reason for n, reason in found), found


def test_a_secret_in_the_config_is_refused(tmp_path) -> None:
    text = GOOD.replace(
        'secret_file = "gateway.secret"', 'secret_file = "gateway.secret"\nsecret = "s3cr3t"'
    )
    assert problems(tmp_path, text)[0][0] == 9
    assert "no secret is written into the config" in problems(tmp_path, text)[0][1]
    pasted = GOOD.replace('key_id = "nhk_abc"', 'key_id = "' + "A" * 43 + '"')
    assert any(
        line == 7 and "looks like a device secret" in reason
        for line, reason in problems(tmp_path, pasted)
    )


def test_toml_syntax_and_unknown_fields(tmp_path) -> None:
    assert problems(tmp_path, GOOD.replace("address = 2", "address = 2\naddress = 3"))[0][0] == 31
    found = problems(tmp_path, GOOD.replace("address = 2", "adress = 2"))
    assert (27, "points.1.address: Field required") in found  # the point's table
    assert (30, "points.1.adress: Extra inputs are not permitted") in found
    found = problems(tmp_path, GOOD.replace("address = 0", "address = 0\nadres = 1"))
    assert any(line == 25 and "Extra inputs" in reason for line, reason in found)


def test_plain_http_only_to_loopback(tmp_path) -> None:
    found = problems(tmp_path, GOOD.replace("https://nh.example.cn", "http://nh.example.cn"))
    assert found[0][0] == 6
    assert "https" in found[0][1]
