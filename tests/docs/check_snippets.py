#!/usr/bin/env python3
"""Checks that every C++ snippet in docs/ (outside docs/concepts/, which
check_concept_pages.py covers) is a file the tests compile, shown verbatim:

    <!-- example: examples/quickstart.cpp -->
    ```cpp
    ...the whole file, relative to docs/...
    ```

Usage: check_snippets.py SOURCE_DIR [--update]
"""
import pathlib
import re
import sys

MARKER = re.compile(r"^<!-- example: (\S+) -->\n```cpp\n(.*?)^```$", re.M | re.S)
ANY_CPP = re.compile(r"^```cpp$", re.M)


def main():
    docs = pathlib.Path(sys.argv[1]) / "docs"
    failures = []
    pages = [p for p in docs.rglob("*.md") if "concepts" not in p.relative_to(docs).parts]
    for page in sorted(pages):
        text = page.read_text()
        if "--update" in sys.argv:
            text = MARKER.sub(lambda m: f"<!-- example: {m.group(1)} -->\n```cpp\n{(docs / m.group(1)).read_text()}```", text)
            page.write_text(text)
        blocks = MARKER.findall(text)
        if len(ANY_CPP.findall(text)) != len(blocks):
            failures.append(f"{page.relative_to(docs)}: a ```cpp block without an `<!-- example: FILE -->` line")
        for name, block in blocks:
            source = docs / name
            if not source.exists():
                failures.append(f"{page.relative_to(docs)}: shows {name}, which does not exist")
            elif source.read_text() != block:
                failures.append(f"{page.relative_to(docs)}: its block differs from {name} (run with --update)")
    for f in failures:
        print(f)
    print(f"{len(pages)} page(s) checked, {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
