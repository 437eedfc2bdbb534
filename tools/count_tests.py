#!/usr/bin/env python3
"""Counts test cases in Bazel's JUnit XML files and prints 'N passed, M failed'."""
import pathlib
import sys
import xml.etree.ElementTree as ET


def count(root: pathlib.Path):
    passed = failed = 0
    for xml in sorted(root.rglob("test.xml")):
        try:
            tree = ET.parse(xml)
        except ET.ParseError:
            failed += 1
            continue
        cases = list(tree.iter("testcase"))
        bad = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
        suite_errors = sum(int(s.get("errors", 0) or 0) + int(s.get("failures", 0) or 0)
                           for s in tree.iter("testsuite"))
        passed += len(cases) - len(bad)
        failed += len(bad)
        if not bad and suite_errors:
            failed += 1  # target failed (crash, timeout) without a failing case
    return passed, failed


def main():
    passed, failed = count(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "bazel-testlogs"))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
