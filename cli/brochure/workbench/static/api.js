// What every page's script shares, loaded once before them (base.html): this run's token and
// CSRF token (from the page's meta elements), an API address carrying the token, and a JSON
// POST carrying both. No framework, no build step.
"use strict";
window.brochure = (function () {
  const token = document.querySelector('meta[name="brochure-token"]').content;
  const csrf = document.querySelector('meta[name="brochure-csrf"]').content;

  // "/api/<path>?token=...&<params>"
  function api(path, params) {
    return "/api/" + path + "?" + new URLSearchParams({ token, ...(params || {}) });
  }

  // POST `body` as JSON to /api/<path>: [response, its JSON]; a network failure throws.
  async function post(path, body) {
    const response = await fetch(api(path), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
    return [response, await response.json()];
  }

  return Object.freeze({ token, api, post });
})();
