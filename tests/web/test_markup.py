"""Issue 14, the client itself: the html`` tag escapes every value — text and attribute —
unless it is markup the tag made; lists join, and null, undefined and false draw nothing.
The words for codes come from the server (GET /v1/labels), not from the pages."""

from __future__ import annotations

from typing import Any

from tests.support import open_page

CASES = """async () => {
  const { html, word, who } = await import("/common.js");
  const hostile = `"><img src=x onerror=alert(1)>`;
  return {
    text: html`<p>${hostile}</p>`.text,
    attribute: html`<a title="${hostile}">x</a>`.text,
    nested: html`<ul>${["a<", "b"].map((x) => html`<li>${x}</li>`)}</ul>`.text,
    nothing: html`${null}${undefined}${false}|${0}`.text,
    status: word("status", "approved"),
    unknown: word("status", "no-such-status"),
    who: [who("candidate:abc"), who("system:payments"), who("staff:county_reviewer:li")],
  };
}"""


def test_the_html_tag_escapes_by_default_and_words_come_from_the_server(
    browser: Any, cloud: Any
) -> None:
    page = open_page(browser, cloud, "/")
    got = page.evaluate(CASES)
    assert got["text"] == "<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>"
    assert got["attribute"] == '<a title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">x</a>'
    assert got["nested"] == "<ul><li>a&lt;</li><li>b</li></ul>"
    assert got["nothing"] == "|0"
    assert got["status"] == "审核通过" and got["unknown"] == "no-such-status"
    assert got["who"] == ["考生本人", "系统", "li"]
