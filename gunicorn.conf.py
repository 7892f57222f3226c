"""gunicorn's settings file, read from the working directory (/app in the image) by every
``gunicorn`` start (the Dockerfile's CMD, docker/entrypoint.sh, scripts/bench.py).

The one setting here: the application does not advertise which server it runs on (等保 2.0,
docs/security.md). Django sends no ``Server`` header; gunicorn sends ``Server: gunicorn`` and has
no option for it, so the name it writes is replaced before any worker answers. The reverse proxy
in front (nginx) should also say ``server_tokens off;`` and ``proxy_hide_header Server;``.
"""

import gunicorn.http.wsgi  # type: ignore[import-untyped]

gunicorn.http.wsgi.SERVER = "web"  # the header gunicorn writes: "Server: web"
