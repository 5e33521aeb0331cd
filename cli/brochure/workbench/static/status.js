// The status page's script: rebuild an edition (one at a time, on the server) and show the page
// where the chosen unit lands.
"use strict";
(function () {
  const { token, post } = window.brochure;
  const box = document.querySelector(".preview");
  if (!box) return;
  const form = box.querySelector("form.unit-choice");
  const button = box.querySelector("button.rebuild");
  const status = box.querySelector(".status");
  const message = box.querySelector(".message");
  const figure = box.querySelector("figure.page");

  // another document: its units are listed by the server
  form.querySelector("select[name=doc]").addEventListener("change", () => {
    form.querySelector("select[name=unit]").value = "";
    form.querySelector("select[name=unit]").disabled = true;
    form.submit();
  });

  button.addEventListener("click", async () => {
    const body = {
      edition: box.dataset.edition,
      doc: form.querySelector("select[name=doc]").value,
      unit: form.querySelector("select[name=unit]").value,
    };
    button.disabled = true;
    message.hidden = true;
    status.textContent = "rebuilding…";
    let response, data;
    try {
      [response, data] = await post("rebuild", body);
    } catch (err) {
      data = { error: err.message };
    }
    button.disabled = false;
    if (!response || !response.ok) {
      status.textContent = "";
      message.textContent = "Error: " + data.error;
      message.hidden = false;
      return;
    }
    status.textContent = data.written.length
      ? "rebuilt: " + data.written.join(", ")
      : "nothing changed since the last build";
    if (data.pdf) document.querySelector(".pdf-state").textContent = "PDF: " + data.pdf;
    showFiles(body.edition, data.files || []);
    figure.replaceChildren();
    const caption = document.createElement("figcaption");
    if (data.page) {
      const img = document.createElement("img");
      img.alt = "page " + data.page + " of " + body.edition;
      img.src = "/preview/" + encodeURIComponent(body.edition) + "/" + data.page +
        ".png?token=" + encodeURIComponent(token) + "&t=" + Date.now();
      figure.append(img);
      caption.textContent = "page " + data.page + ": where the unit starts";
    } else {
      caption.textContent = "The unit is not in the built PDF.";
    }
    figure.append(caption);
    box.dataset.page = data.page || "";
  });
  // the edition's built files, as the page lists them (edition.html)
  function showFiles(edition, files) {
    const line = document.querySelector("p.files");
    line.replaceChildren("files: ");
    files.forEach((file, i) => {
      const link = document.createElement("a");
      link.href = "/files/" + encodeURIComponent(edition) + "/" + encodeURIComponent(file.name) +
        "?token=" + encodeURIComponent(token);
      if (!file.name.endsWith(".pdf")) link.download = file.name;
      link.textContent = file.name;
      const size = document.createElement("small");
      size.textContent = file.size;
      line.append(...(i ? [" · "] : []), link, " ", size);
    });
    if (!files.length) line.append("none built yet");
  }
  box.dataset.ready = "true"; // the browser tests wait for this
})();
