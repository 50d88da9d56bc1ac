"""OSV records (https://ossf.github.io/osv-schema/) of malicious MCP server releases, matched by
``mcpleaks audit``. Each file is one record as published (the id is the publisher's: ``MAL-``
ids come from the OpenSSF malicious-packages project); ``mcpleaks audit --advisories`` adds more."""
