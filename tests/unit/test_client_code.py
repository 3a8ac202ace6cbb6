"""The web client's code (issue 14): ESLint finds nothing in web/*.js — no undefined name, no
unused one, and no markup put on a page but through render(html`…`), whose tag escapes."""

from __future__ import annotations

from infra.jslint import lint


def test_eslint_finds_nothing_in_the_web_client() -> None:
    done = lint("web")
    assert done.returncode == 0, done.stdout + done.stderr


def test_markup_outside_render_is_refused() -> None:
    probe = "const box = document.body;\nbox.innerHTML = `<b>${location.hash}</b>`;\n"
    done = lint("--stdin", "--stdin-filename", "web/probe.js", stdin=probe)
    assert done.returncode == 1 and "render(html`…`, element)" in done.stdout
    done = lint("--stdin", "--stdin-filename", "web/probe.js", stdin="escape(location.hash);\n")
    assert done.returncode == 1 and "no-restricted-globals" in done.stdout
