"""Sphinx fixes for the built site, found by reading it in headless Chromium.

sphinx-thebe adds its inline configuration script once per environment pass (its
``env-before-read-docs`` handler calls ``add_js_file`` each time), and jupyter-book's build
runs that event more than once, so every page declared ``const THEBE_JS_URL`` twice: a
console SyntaxError on every page. This extension keeps the first of any repeated script.
"""


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        # an inline script's filename is None or "" depending on who added it
        key = (getattr(js, "filename", None) or "",
               repr(sorted(getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
