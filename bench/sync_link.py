"""A day's work over a bad link: 50 records and 5 photos (300 KB each, as attachments) synced
over an emulated 64 kbit/s link with 300 ms RTT whose connections are all cut every 20 s.

It must complete (`fieldapp-cli sync` run again after every cut, as the background sync would),
and the bytes sent must stay within 1.3x of one clean run over the same link without cuts
(resumption, not restart: pushed batches replay cheaply, attachment chunks already on the server
are not sent again).

    python -m bench.sync_link [--records 50] [--photos 5] [--photo-kb 300] [--kbit 64]
        [--rtt-ms 300] [--cut-every 20]

The full run moves ~1.5 MB twice at 64 kbit/s: about 9 minutes. Results in
bench/results/sync_link.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.large_vault import write_result
from bench.sync_push_pull import PASSWORD, STATION, cli, enroll
from fieldapp import session
from fieldapp.vault.crypto import KdfParams
from tests.netfault import NetFaultProxy
from tests.records import PERSON
from tests.server.serverproc import RunningServer, running_server

NAME = "sync_link"
OTHER_STATION = "B13"


def day_of_work(
    server: RunningServer, proxy: NetFaultProxy, folder: Path, user: str, args: Any, seed: int
) -> None:
    """A device with the day's records and photos, enrolled through the proxy."""
    s = session.create(folder, PASSWORD, officer=user, kdf=KdfParams.for_tests())
    s.close()
    enroll(server, proxy, folder, user)
    rng = random.Random(seed)
    s = session.unlock(folder, PASSWORD)
    try:
        records = s.store.add_many(
            [("person", {**PERSON, "age": rng.randint(18, 90)}) for _ in range(args.records)]
        )
        for record in records[: args.photos]:
            photo = rng.randbytes(args.photo_kb * 1000)  # JPEG-like: incompressible
            s.store.attach(record.id, io.BytesIO(photo), name="photo.jpg", mime="image/jpeg")
    finally:
        s.close()


def sync_until_done(proxy: NetFaultProxy, folder: Path, limit: int = 500) -> dict[str, Any]:
    proxy.reset_stats()
    started = time.perf_counter()
    runs = 0
    while True:
        runs += 1
        try:
            cli(folder, "sync", "--json", "--retries", "0")
            break
        except RuntimeError as exc:
            if "exited 5" not in str(exc) or runs >= limit:
                raise
    stats = proxy.stats()
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "runs": runs,
        "cuts": stats.cuts,
        "bytes_up": stats.bytes_up,
        "bytes_down": stats.bytes_down,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--photos", type=int, default=5)
    parser.add_argument("--photo-kb", type=int, default=300)
    parser.add_argument("--kbit", type=int, default=64)
    parser.add_argument("--rtt-ms", type=int, default=300)
    parser.add_argument("--cut-every", type=float, default=20.0)
    args = parser.parse_args()
    os.environ["FIELDAPP_PASSWORD"] = PASSWORD
    os.environ["FIELDAPP_LANG"] = "en"
    work = Path(tempfile.mkdtemp(prefix="bench-link-"))
    try:
        with running_server(work) as server:
            # Two stations: the second device must not download the first one's photos, so
            # that both runs carry exactly the same work.
            for station, user in ((STATION, "clean"), (OTHER_STATION, "cut")):
                server.admin("station", "add", station, "--name", station, "--governorate",
                             "IQG08", "--district", "IQG08Q01")  # fmt: skip
                server.admin("user", "add", user, "--role", "officer", "--station", station)
            link = {"bandwidth_bps": args.kbit * 1000, "rtt": args.rtt_ms / 1000}
            with NetFaultProxy(("127.0.0.1", server.port), **link) as proxy:
                day_of_work(server, proxy, work / "clean", "clean", args, seed=1)
                clean = sync_until_done(proxy, work / "clean")
                day_of_work(server, proxy, work / "cut", "cut", args, seed=2)
                proxy.configure(cut_every=args.cut_every)
                cut = sync_until_done(proxy, work / "cut")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = cut["bytes_up"] / max(1, clean["bytes_up"])
    ratio_down = cut["bytes_down"] / max(1, clean["bytes_down"])
    result = {
        "link": {"kbit_s": args.kbit, "rtt_ms": args.rtt_ms, "cut_every_s": args.cut_every},
        "work": {"records": args.records, "photos": args.photos, "photo_kb": args.photo_kb},
        "clean": clean,
        "cut": cut,
        "bytes_sent_ratio": round(ratio, 3),
        "bytes_received_ratio": round(ratio_down, 3),
        "within_1_3x": ratio <= 1.3,
    }
    print(json.dumps(result, indent=2))
    print(write_result(NAME, result))


if __name__ == "__main__":
    main()
