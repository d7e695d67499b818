"""A DL/T 645-2007 TCP transparent-link simulator: the meters of one RS-485 line behind a
serial server, answering read requests with the gateway's own codec.

Meter ``i`` (0-based) has the address ``i + 1`` written in 12 digits (``000000000001`` …) and
answers data identifiers 00 00 00 00 (combined active) and 00 01 00 00 (forward active energy,
total) with its register (`nenghao.gateway.simulated`), XXXXXX.XX kWh; any other identifier
gets an abnormal answer with error word 02 (no such data). A frame with a bad checksum, or to
an address no meter has, gets no answer, as on a real line. Faults: ``offline`` (the meter
answers nothing), ``frozen``, ``reset``.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from nenghao.gateway.background_loop import BackgroundLoop
from nenghao.gateway.clock import Clock
from nenghao.gateway.dlt645 import (
    READ,
    READ_ABNORMAL,
    READ_ANSWER,
    FrameError,
    bcd_bytes,
    decode_frame,
    encode_frame,
    parse_address,
    take_frame,
)
from nenghao.gateway.simulated import MeterBank

ENERGY = (bytes.fromhex("00000000"), bytes.fromhex("00000100"))
"""DI0…DI3 of the identifiers answered with the register."""
NO_SUCH_DATA = 0x02


def meter_address(index: int) -> str:
    """The nameplate address of simulated meter `index` (0-based)."""
    return f"{index + 1:012d}"


class Dlt645Simulator(MeterBank):
    """`points` DL/T 645 meters behind one TCP transparent link."""

    def __init__(self, points: int, clock: Clock, **options: Any) -> None:
        super().__init__(points, clock, **options)
        self._index = {parse_address(meter_address(i)): i for i in range(points)}
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._background: BackgroundLoop | None = None

    def answer(self, raw: bytes) -> bytes | None:
        """The answer to one frame, or None when a meter would stay silent."""
        try:
            frame = decode_frame(raw)
        except FrameError:
            return None
        index = self._index.get(frame.address)
        if frame.control != READ or index is None or self.meters[index].offline:
            return None
        if frame.data[:4] not in ENERGY or len(frame.data) != 4:
            return encode_frame(frame.address, READ_ABNORMAL, bytes((NO_SUCH_DATA,)))
        counts = self.answer_counts(index, self.clock.now())
        return encode_frame(frame.address, READ_ANSWER, frame.data[:4] + bcd_bytes(counts, 4))

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        buffer = bytearray()
        self._writers.add(writer)
        with contextlib.suppress(ConnectionError):
            while chunk := await reader.read(256):
                buffer += chunk
                while (raw := take_frame(buffer)) is not None:
                    answer = self.answer(raw)
                    if answer is not None:
                        writer.write(answer)
                        await writer.drain()
        self._writers.discard(writer)
        writer.close()

    async def serve(self, host: str, port: int) -> None:
        """Serve until cancelled."""
        self._server = await asyncio.start_server(self._client, host, port)
        async with self._server:
            await self._server.serve_forever()

    def start(self, host: str, port: int) -> Dlt645Simulator:
        """Serve in a background thread (tests); returns once listening."""
        self._background = BackgroundLoop()

        async def listen() -> None:
            self._server = await asyncio.start_server(self._client, host, port)

        self._background.run(listen)
        return self

    def stop(self) -> None:
        """Stop a server started with `start`."""
        if self._background is None or self._server is None:
            return
        server = self._server

        async def close() -> None:
            server.close()
            for writer in list(self._writers):
                writer.close()
            await server.wait_closed()

        self._background.run(close)
        self._background.close()
        self._server, self._background = None, None
