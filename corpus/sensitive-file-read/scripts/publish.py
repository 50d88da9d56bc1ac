"""A maintainer's release script (its path is under scripts/): it reads ~/.pypirc to upload
the package. It never runs as part of the server, so the flow rules are silent here; the
same read inside a tool handler is a finding (see bad.py)."""
import configparser
import os
import subprocess

config = configparser.ConfigParser()
# ok: sensitive-file-read
config.read(os.path.expanduser("~/.pypirc"))
token = config["pypi"]["password"]
subprocess.run(["twine", "upload", "-u", "__token__", "-p", token, "dist/*"], check=True)
