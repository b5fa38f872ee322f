#!/usr/bin/env python3
"""Checks that each page of docs/concepts/ shows its example file verbatim.

A page marks its example with a comment line, followed by a fenced block:

    <!-- example: examples/reporter.cpp -->
    ```cpp
    ...the whole file...
    ```

The block must equal the file (which the tests compile and run), and every
file in docs/concepts/examples/ must be shown by a page.
Usage: check_concept_pages.py SOURCE_DIR [--update]
  --update  pastes each example file into its page's block instead of checking
"""
import pathlib
import re
import sys

MARKER = re.compile(r"^<!-- example: (\S+) -->\n```cpp\n(.*?)^```$", re.M | re.S)


def main():
    concepts = pathlib.Path(sys.argv[1]) / "docs" / "concepts"
    failures = []
    shown = set()
    for page in sorted(concepts.glob("*.md")):
        text = page.read_text()
        if "--update" in sys.argv:
            text = MARKER.sub(lambda m: f"<!-- example: {m.group(1)} -->\n```cpp\n{(concepts / m.group(1)).read_text()}```",
                              text)
            page.write_text(text)
        blocks = MARKER.findall(text)
        if not blocks:
            failures.append(f"{page.name}: no `<!-- example: ... -->` block")
        for name, block in blocks:
            source = (concepts / name).resolve()
            shown.add(source)
            if not source.exists():
                failures.append(f"{page.name}: shows {name}, which does not exist")
            elif source.read_text() != block:
                failures.append(f"{page.name}: the block differs from {name}; run {sys.argv[0]} SOURCE_DIR --update")
    for source in sorted((concepts / "examples").glob("*.cpp")):
        if source.resolve() not in shown:
            failures.append(f"examples/{source.name} is shown by no page")
    for f in failures:
        print(f)
    if not failures:
        print("every concept page shows its example verbatim")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
