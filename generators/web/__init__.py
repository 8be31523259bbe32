"""The web workbench (plandocs serve): a second face of generators/app, in Chinese, on 127.0.0.1 by default.
Starlette + uvicorn, Jinja2 pages rendered on the server with autoescape, a few lines of JavaScript.
docs/web.md says why and how it is kept safe."""
