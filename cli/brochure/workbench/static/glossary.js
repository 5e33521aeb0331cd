// The glossary editor's script: send a concept's form (add, edit) or its removal as JSON with
// the CSRF token, then show the concept as saved; a conflict or an error is shown, nothing lost.
"use strict";
(function () {
  const { token, post } = window.brochure;
  const form = document.querySelector("form.concept");
  const params = new URLSearchParams(location.search);
  const done = params.get("saved") || params.get("removed");
  if (done) {
    const box = document.querySelector("form.concept .status, .filters .count");
    if (box) box.textContent = (params.get("saved") ? "saved " : "removed ") + done;
  }
  if (!form) return;
  const message = form.querySelector(".message");
  const status = form.querySelector(".status");

  function show(text) {
    message.textContent = text || "";
    message.hidden = !text;
  }

  // A list (admitted, forbidden, forms) is edited one item a line and kept as a|b|c; the cell as
  // the file has it when only its spacing differs (no change to save).
  function listCell(area) {
    const items = (text, sep) => text.split(sep).map((item) => item.trim()).filter(Boolean);
    const joined = items(area.value, "\n").join("|");
    return joined === items(area.dataset.cell, "|").join("|") ? area.dataset.cell : joined;
  }

  function fields() {
    const out = {};
    for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
      if (input.name === "id" || input.name === "flags") continue;
      out[input.name] = input.classList.contains("list") ? listCell(input) : input.value;
    }
    const flags = Array.from(form.querySelectorAll("input[name=flags]:checked"));
    out.flags = flags.map((f) => f.value).join(",");
    return out;
  }

  function page(id, what) {
    const base = id && what === "saved" ? "/glossary/concept/" + encodeURIComponent(id) : "/glossary";
    return base + "?token=" + encodeURIComponent(token) + "&" + what + "=" + encodeURIComponent(id);
  }

  async function send(action) {
    const idInput = form.querySelector("input[name=id]");
    const body = {
      action: action,
      id: idInput ? idInput.value.trim() : form.dataset.id,
      fields: action === "remove" ? {} : fields(),
      version: form.dataset.version,
    };
    status.textContent = "saving…";
    show("");
    let response, data;
    try {
      [response, data] = await post("glossary", body);
    } catch (err) {
      status.textContent = "";
      show("Not saved: " + err.message);
      return;
    }
    status.textContent = "";
    if (response.status === 409) {
      form.classList.add("conflict");
      const theirs = data.theirs
        ? Object.entries(data.theirs).filter(([, v]) => v).map(([k, v]) => k + ": " + v).join("\n")
        : "(no such concept now)";
      const yours = Object.entries(body.fields).filter(([, v]) => v).map(([k, v]) => k + ": " + v).join("\n");
      show(data.error + "\n\nNow on disk:\n" + theirs + "\n\nYours (not saved):\n" + (yours || action));
      return;
    }
    if (!response.ok) {
      show("Error: " + data.error);
      return;
    }
    saved = true;
    location.href = action === "remove" ? page(body.id, "removed") : page(data.id, "saved");
  }

  // Leaving or reloading the page with a field changed and not saved (typed, or refused by a
  // conflict: the message says to reload) asks first, as the segment grid does.
  let saved = false;
  function changed() {
    return Array.from(form.elements).some((input) =>
      input.type === "checkbox" ? input.checked !== input.defaultChecked
        : input.tagName === "SELECT" // (none marked selected: the first one shows)
          ? input.selectedIndex !== Math.max(0, Array.from(input.options).findIndex((o) => o.defaultSelected))
        : "defaultValue" in input && input.type !== "button" && input.type !== "submit" && input.value !== input.defaultValue);
  }
  window.addEventListener("beforeunload", (event) => {
    if (!saved && changed()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form.dataset.action);
  });
  const remove = form.querySelector("button.remove");
  if (remove) {
    remove.addEventListener("click", () => {
      if (confirm("Remove " + form.dataset.id + " from the project's glossary?")) send("remove");
    });
  }
  form.dataset.ready = "true"; // the browser tests wait for this
})();
