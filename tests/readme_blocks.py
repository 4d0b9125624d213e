"""The fenced code blocks of README.md, read the way tests/test_readme.py runs them.

Conventions (HTML comments: invisible on GitHub, one per line, right before a fence):

- A ```graphql block is a document run against the demo data. `<!-- role: staff -->` before it
  sends the bearer token of that demo role (staff, anchor, member, other; none: anonymous).
- `<!-- variables -->` before a ```json block: the variables of one request of the latest
  graphql block. A graphql block followed by N such blocks is sent N times, in order; with none,
  once without variables.
- `<!-- answer -->` before a ```json block: must be a sub-tree of the answer to the latest
  request's `data`, exactly: each object with all its keys, each list with all its items in the
  order answered. An elision is marked: a last list item `"..."` stands for further items, a key
  `"..."` (any value) for further keys, a value `"..."` for any value (a time, a new token).
- In a ```sh block, each `curl ... -d '{"query": ...}'` body is a document too, sent (with its
  variables and extensions) with the staff token when the block sends `$TOKEN` (the README sets
  it to the staff's).
- A ```toml block is an `ogp-wg.toml` unless `<!-- file: NAME -->` names another file (e.g.
  `pyproject.toml`); other fences are not run.

Run as `python -m tests.readme_blocks DIR` to write each graphql document to DIR as a .ts module
(for the front-end tools in tests/frontend/: graphql-codegen and
relay-compiler check them against schema.graphql).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parent.parent / "README.md"

_FENCE = re.compile(r"^```(\w*)\s*$")
_DIRECTIVE = re.compile(r"^<!--\s*([\w-]+)\s*(?::\s*(.*?))?\s*-->\s*$")
_CURL_BODY = re.compile(r"-d '(\{.*?\})'", re.S)
_OPERATION_NAME = re.compile(r"^\s*(?:query|mutation|subscription)\s+(\w+)", re.M)


@dataclass
class Block:
    """One fenced block: its language, text, first line number (1-based) and directives."""

    lang: str
    text: str
    line: int
    directives: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    """One request a graphql block makes: its variables and the answers it must get."""

    variables: dict[str, Any] | None
    answers: list[Any] = field(default_factory=list)
    extensions: dict[str, Any] | None = None


@dataclass
class Example:
    """A graphql block of the README with the requests to make with it, in order."""

    block: Block
    requests: list[Request]

    @property
    def role(self) -> str | None:
        return self.block.directives.get("role")

    @property
    def name(self) -> str:
        """The operation name, or `line<N>` for an anonymous operation."""
        found = _OPERATION_NAME.search(self.block.text)
        return found.group(1) if found else f"line{self.block.line}"


def blocks(path: Path = README) -> list[Block]:
    """Every fenced block of `path`, with the directive comments right above its fence."""
    found: list[Block] = []
    directives: dict[str, str] = {}
    lines = path.read_text().splitlines()
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if match := _DIRECTIVE.match(line):
            directives[match.group(1)] = match.group(2) or ""
            continue
        if match := _FENCE.match(line):
            start = number
            body: list[str] = []
            while number < len(lines) and not lines[number].startswith("```"):
                body.append(lines[number])
                number += 1
            number += 1  # the closing fence
            found.append(Block(match.group(1), "\n".join(body) + "\n", start, directives))
        if line.strip():
            directives = {}
    return found


def examples(path: Path = README) -> list[Example]:
    """The graphql blocks of `path`, each with its variables and answer blocks."""
    found: list[Example] = []
    for block in blocks(path):
        if block.lang == "graphql":
            found.append(Example(block, []))
        elif block.lang == "sh":
            found.extend(_curl_examples(block))
        elif block.lang == "json" and (
            "variables" in block.directives or "answer" in block.directives
        ):
            _attach(found, block, path)
    for example in found:
        if not example.requests:
            example.requests.append(Request(None))
    return found


def _curl_examples(block: Block) -> list[Example]:
    found = []
    for match in _CURL_BODY.finditer(block.text):
        body = json.loads(match.group(1))
        directives = {"role": "staff"} if "$TOKEN" in block.text else {}
        document = Block("graphql", body["query"], block.line, directives)  # exact: hashed
        request = Request(body.get("variables"), extensions=body.get("extensions"))
        found.append(Example(document, [request]))
    return found


def _attach(found: list[Example], block: Block, path: Path) -> None:
    if not found:
        raise ValueError(f"{path}:{block.line}: a variables/answer block before any graphql")
    value = json.loads(block.text)
    requests = found[-1].requests
    if "variables" in block.directives:
        requests.append(Request(value))
    else:
        if not requests:
            requests.append(Request(None))
        requests[-1].answers.append(value)


def toml_blocks(path: Path = README) -> list[Block]:
    """The ```toml blocks of `path`; `directives.get("file")` names what each one is."""
    return [block for block in blocks(path) if block.lang == "toml"]


def write_documents(directory: Path, path: Path = README) -> list[Path]:
    """Write each graphql document of `path` to `directory/<OperationName>.ts`, in a
    graphql`...` tag: relay-compiler reads documents only from source files (and wants each
    operation named after its module, `<Module>Query` / `<Module>Mutation`); graphql-codegen
    reads the same tags. Earlier .ts files there are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.ts"):
        old.unlink()
    written: list[Path] = []
    texts: dict[str, str] = {}
    for example in examples(path):
        # The same document may be shown twice (e.g. again with a persisted-query hash); two
        # different documents with one name would make a client's generated types ambiguous.
        if texts.setdefault(example.name, example.block.text) != example.block.text:
            raise ValueError(f"{path}:{example.block.line}: a second operation {example.name}")
        target = directory / f"{example.name}.ts"
        if target in written:
            continue
        document = example.block.text.replace("\\", "\\\\").replace("`", "\\`")
        origin = f"README.md line {example.block.line}"
        target.write_text(f"// {origin}\nexport const document = graphql`\n{document}`;\n")
        written.append(target)
    return written


if __name__ == "__main__":
    for written in write_documents(Path(sys.argv[1])):
        print(written)
