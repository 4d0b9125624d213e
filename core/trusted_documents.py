"""Trusted documents (setting `trusted_documents`, off by default): only the GraphQL documents of
an allow-list run, as a production API serving only its own front ends wants.

The allow-list is the manifest a front-end build writes, read once at start-up:

- Relay's persisted queries (`relay-compiler` with `persistConfig`) and graphql-codegen's client
  preset (`persistedDocuments: true`, `persisted-documents.json`): `{"<id>": "<document>"}`;
- Apollo's persisted query manifest (`generate-persisted-query-manifest`):
  `{"format": "apollo-persisted-query-manifest", "version": 1,
  "operations": [{"id": "<sha256>", "body": "<document>", ...}]}`.

A request runs when it names a listed document by id, in any of the ways clients send one
(`documentId`, with or without a `sha256:` prefix, as the GraphQL-over-HTTP persisted documents
proposal and graphql-codegen do; `doc_id` or `id`, as Relay's examples do;
`extensions.persistedQuery.sha256Hash`, as Apollo's persisted-queries link does), or when it sends
the text of a listed document, byte for byte. Anything else is refused before parsing: HTTP 400,
`extensions.code` `PERSISTED_QUERY_NOT_ALLOWED`. A request without any document or id is left
to the GraphQL endpoint, which refuses it as a bad request: nothing runs either way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from graphql import GraphQLError, parse

NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
ID_KEYS = ("documentId", "doc_id", "id")
APOLLO_FORMAT = "apollo-persisted-query-manifest"


class TrustedDocumentsError(Exception):
    """The manifest cannot be used (start-up stops with this one-line message)."""


class NotAllowed(Exception):
    """A request for a document outside the allow-list: 400 `PERSISTED_QUERY_NOT_ALLOWED`."""

    status = 400
    code = NOT_ALLOWED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def _entries(manifest: Any) -> dict[str, Any]:
    if isinstance(manifest, dict) and manifest.get("format") == APOLLO_FORMAT:
        operations = manifest.get("operations")
        if not isinstance(operations, list) or not all(isinstance(o, dict) for o in operations):
            raise TrustedDocumentsError("its `operations` must be a list of objects")
        return {str(o.get("id")): o.get("body") for o in operations}
    if isinstance(manifest, dict):
        return manifest
    raise TrustedDocumentsError(
        'expected {"<id>": "<document>"} (Relay, graphql-codegen) or an Apollo persisted '
        "query manifest"
    )


@dataclass(frozen=True)
class TrustedDocuments:
    """The allow-list: documents by their manifest id and by the SHA-256 of their text."""

    by_id: dict[str, str]
    by_sha256: dict[str, str]

    @classmethod
    def load(cls, path: str | Path) -> TrustedDocuments:
        """Read and check a manifest file (every document must parse).

        Raises TrustedDocumentsError naming the file and what to fix.
        """
        where = f"trusted_documents = {str(path)!r}"
        try:
            manifest = orjson.loads(Path(path).read_bytes())
        except OSError as exc:
            raise TrustedDocumentsError(f"{where}: cannot read it ({exc.strerror})") from None
        except orjson.JSONDecodeError as exc:
            raise TrustedDocumentsError(f"{where}: not JSON ({exc})") from None
        try:
            entries = _entries(manifest)
        except TrustedDocumentsError as exc:
            raise TrustedDocumentsError(f"{where}: {exc}") from None
        if not entries:
            raise TrustedDocumentsError(f"{where}: the manifest lists no document")
        by_id: dict[str, str] = {}
        for doc_id, document in entries.items():
            if not isinstance(document, str) or not document.strip():
                raise TrustedDocumentsError(f"{where}: the document of id {doc_id!r} is no text")
            try:
                parse(document)
            except GraphQLError as exc:
                message = exc.message
                raise TrustedDocumentsError(f"{where}: document {doc_id!r}: {message}") from None
            by_id[doc_id] = document
        by_sha256 = {sha256_hex(document): document for document in by_id.values()}
        return cls(by_id=by_id, by_sha256=by_sha256)

    def _by_id(self, doc_id: str) -> str | None:
        found = self.by_id.get(doc_id)
        if found is None and doc_id.startswith("sha256:"):
            doc_id = doc_id.removeprefix("sha256:")
            found = self.by_id.get(doc_id)
        if found is None and len(doc_id) == 64:
            found = self.by_sha256.get(doc_id.lower())
        return found

    def resolve(self, request: Any) -> bool:
        """Allow one GraphQL request object (a JSON body, or a batch item) or raise NotAllowed.

        A request by id gets its `query` filled in from the list, in place: then True.
        """
        if not isinstance(request, dict):
            return False  # not a GraphQL request at all: the endpoint refuses it, nothing runs
        doc_id: Any = next((request[k] for k in ID_KEYS if request.get(k) is not None), None)
        extensions = request.get("extensions")
        if doc_id is None and isinstance(extensions, dict):
            persisted = extensions.get("persistedQuery")
            if isinstance(persisted, dict):
                doc_id = persisted.get("sha256Hash")
        query = request.get("query")
        if doc_id is not None:
            document = self._by_id(doc_id) if isinstance(doc_id, str) else None
            if document is None:
                raise NotAllowed(f"No trusted document has the id {doc_id!r}.")
            if query not in (None, "", document):
                raise NotAllowed("The document sent is not the trusted document of that id.")
            request["query"] = document
            return True
        if query is None or query == "":
            return False  # no document: the endpoint answers "no query", nothing runs
        if not isinstance(query, str) or sha256_hex(query) not in self.by_sha256:
            raise NotAllowed(
                "Only trusted documents run on this server: send the id of a document of its "
                "manifest (documentId), or its exact text."
            )
        return False
