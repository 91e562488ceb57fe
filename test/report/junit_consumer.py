"""A second, independent JUnit consumer for test/report/junit.test.ts.

Reads junit.xml with Python's standard library (xml.etree, on expat: another parser, another
language than the harness) the way CI publishers do (Jenkins' junit plugin, GitLab, pytest's
own reader): each <testcase> is passed, or failed / errored / skipped by the element it holds;
suite counts are the declared attributes. Prints what it understood as JSON on stdout.
"""
import json
import sys
import xml.etree.ElementTree as ET

OUTCOMES = ("failure", "error", "skipped")


def main(path):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    out = {"root": root.tag, "suites": [], "cases": []}
    for s in suites:
        counted = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for tc in s.findall("testcase"):
            held = [k for k in tc if k.tag in OUTCOMES]
            el = held[0] if held else None
            outcome = el.tag if el is not None else "passed"
            counted["tests"] += 1
            if outcome == "failure":
                counted["failures"] += 1
            elif outcome == "error":
                counted["errors"] += 1
            elif outcome == "skipped":
                counted["skipped"] += 1
            out["cases"].append({
                "suite": s.get("name"),
                "name": tc.get("name"),
                "classname": tc.get("classname"),
                "time": float(tc.get("time")),
                "outcome": outcome,
                "outcomeElements": len(held),
                "type": el.get("type") if el is not None else None,
                "message": el.get("message") if el is not None else None,
                "text": (el.text or "") if el is not None else "",
            })
        out["suites"].append({
            "name": s.get("name"),
            "declared": {k: int(s.get(k, "0")) for k in counted},
            "counted": counted,
            "time": float(s.get("time")),
            "properties": [[p.get("name"), p.get("value")] for p in s.iterfind("properties/property")],
            "systemOut": s.findtext("system-out") or "",
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
