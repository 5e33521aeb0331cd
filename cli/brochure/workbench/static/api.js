// What every page's script shares, loaded once before them (base.html): this run's token and
// CSRF token (from the page's meta elements), an API address carrying the token, and JSON GET
// and POST carrying them. No framework, no build step.
"use strict";
window.brochure = (function () {
  const token = document.querySelector('meta[name="brochure-token"]').content;
  const csrf = document.querySelector('meta[name="brochure-csrf"]').content;
  // fetch() fails without a response when nothing listens any more
  const GONE =
    "the workbench does not answer (stopped?): start `brochure serve` again and open the " +
    "address it prints";

  // "/api/<path>?token=...&<params>"
  function api(path, params) {
    return "/api/" + path + "?" + new URLSearchParams({ token, ...(params || {}) });
  }

  // [response, its JSON]; a body that is not JSON (a proxy's or an old server's page) becomes
  // {error: its first line}; no answer at all throws an Error saying what to do.
  async function request(url, options) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new Error(GONE);
    }
    const text = await response.text();
    try {
      return [response, JSON.parse(text)];
    } catch (err) {
      const line = text.split("\n")[0].trim() || response.status + " " + response.statusText;
      return [response, { error: line }];
    }
  }

  // GET /api/<path>: [response, its JSON].
  function get(path, params) {
    return request(api(path, params));
  }

  // POST `body` as JSON to /api/<path>: [response, its JSON].
  function post(path, body) {
    return request(api(path), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
  }

  // A conflict's two ways out, appended to its message `box` (the segment grid's rows and the
  // glossary's concept form share them): "use mine" calls `useMine` (save the refused version over
  // theirs, against the version the reply gave), "keep theirs" calls `keepTheirs`. A press does
  // not move the focus: on the grid the target as printed would show above (the row's
  // :focus-within) and push the button from under the pointer before the click.
  function choices(box, useMine, keepTheirs) {
    const buttons = document.createElement("div");
    buttons.className = "choices";
    const use = document.createElement("button");
    use.type = "button";
    use.className = "use-mine";
    use.textContent = "use mine";
    use.addEventListener("click", useMine);
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "keep-theirs";
    keep.textContent = "keep theirs";
    keep.addEventListener("click", keepTheirs);
    for (const b of [use, keep]) b.addEventListener("mousedown", (event) => event.preventDefault());
    buttons.append(use, " ", keep);
    box.append(buttons);
    return buttons;
  }

  return Object.freeze({ token, api, get, post, choices });
})();
