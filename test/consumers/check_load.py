"""(a) `datasets` loads every format's folder, with the row counts the export report gives."""
from common import args, load_export, report

result = {}
for fmt, spec in args()["exports"].items():
    try:
        ds = load_export(spec["dir"])
        got = {split: len(ds[split]) for split in ds}
        features = {split: str(ds[split].features.get("messages") or ds[split].features.get("conversations")) for split in ds}
        result[fmt] = {"splits": got, "features": features}
    except Exception as error:  # the report says which format failed and why
        result[fmt] = {"error": f"{type(error).__name__}: {error}"}
report(result)
