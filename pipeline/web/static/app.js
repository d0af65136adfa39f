// The review pages' behaviour: boxes on the page <-> fields, keyboard, drop uploads, error toasts.
// No build step; loaded with defer after htmx.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

  function toast(msg, ok) {
    const t = document.getElementById("toast");
    if (!t) return;
    t.textContent = msg;
    t.className = ok ? "ok" : "error";
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
  }

  document.addEventListener("htmx:responseError", (ev) => {
    let msg = "操作失败（" + ev.detail.xhr.status + "）";
    try { msg = JSON.parse(ev.detail.xhr.responseText).detail || msg; } catch (e) { /* not JSON */ }
    toast(msg, false);
  });
  document.addEventListener("htmx:sendError", () => toast("无法连接服务器", false));

  // ---- fields and boxes -------------------------------------------------------------
  const fieldEls = () => Array.from(document.querySelectorAll("#fields .field"));
  const rectsFor = (key) => Array.from(document.querySelectorAll('#viewer rect[data-key="' + CSS.escape(key) + '"]'));
  let currentKey = null;

  function focusField(key, fromBox) {
    const el = document.getElementById("f-" + key);
    document.querySelectorAll("#fields .field.active").forEach((e) => e.classList.remove("active"));
    document.querySelectorAll("#viewer rect.active").forEach((r) => r.classList.remove("active"));
    if (!el) return;
    currentKey = key;
    el.classList.add("active");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest", behavior: "instant" });
    const rects = rectsFor(key);
    rects.forEach((r) => r.classList.add("active"));
    if (rects.length && !fromBox) {
      const r = rects[0];
      const fig = r.closest("figure");
      const svg = r.ownerSVGElement;
      const vb = svg.viewBox.baseVal;
      const y = parseFloat(r.getAttribute("y")) / vb.height * svg.getBoundingClientRect().height;
      const viewer = document.getElementById("viewer");
      viewer.scrollTo({ top: fig.offsetTop - viewer.offsetTop + y - 80, behavior: "instant" });
    }
    const sel = document.getElementById("selected-box");
    if (sel) sel.textContent = rects.length ? key : "";
  }

  function nextFlagged(step) {
    const flagged = fieldEls().filter((e) => e.classList.contains("flagged"));
    if (!flagged.length) { toast("没有待核对的字段了", true); return; }
    let i = flagged.findIndex((e) => e.dataset.key === currentKey);
    i = i < 0 ? (step > 0 ? 0 : flagged.length - 1) : (i + step + flagged.length) % flagged.length;
    focusField(flagged[i].dataset.key);
  }

  function openEdit(el) {
    const form = el.querySelector("form.edit");
    if (!form) return;
    form.hidden = false;
    const input = form.querySelector("[name=value]");
    if (input) { input.focus(); if (input.select) input.select(); }
  }

  document.addEventListener("click", (ev) => {
    const rect = ev.target.closest && ev.target.closest("#viewer rect[data-key]");
    if (rect) { if (rect.dataset.kind !== "seal") focusField(rect.dataset.key, true); return; }
    const act = ev.target.closest && ev.target.closest("[data-act]");
    const field = ev.target.closest && ev.target.closest("#fields .field");
    if (act && field) {
      if (act.dataset.act === "edit") { focusField(field.dataset.key); openEdit(field); return; }
      if (act.dataset.act === "cancel") { field.querySelector("form.edit").hidden = true; field.focus(); return; }
    }
    if (field && !ev.target.closest("form")) focusField(field.dataset.key);
  });

  document.addEventListener("keydown", (ev) => {
    if (!document.getElementById("fields")) return;
    const tag = (ev.target.tagName || "").toLowerCase();
    if (ev.key === "Escape") {
      document.querySelectorAll("#fields form.edit").forEach((f) => { f.hidden = true; });
      if (currentKey) focusField(currentKey, true);
      return;
    }
    if (tag === "input" || tag === "textarea" || tag === "select" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const head = document.getElementById("apphead");
    if (ev.key === "j" || ev.key === "n") { ev.preventDefault(); nextFlagged(1); }
    else if (ev.key === "k" || ev.key === "p") { ev.preventDefault(); nextFlagged(-1); }
    else if (ev.key === "a" && currentKey) {
      ev.preventDefault();
      const b = document.querySelector("#f-" + CSS.escape(currentKey) + " [data-act=verify]");
      if (b) b.click();
    } else if (ev.key === "e" && currentKey) {
      ev.preventDefault();
      openEdit(document.getElementById("f-" + currentKey));
    } else if (ev.key === "]" && head && head.dataset.next) { window.location = "/applications/" + head.dataset.next; }
    else if (ev.key === "[" && head && head.dataset.prev) { window.location = "/applications/" + head.dataset.prev; }
  });

  // after a correction the fields panel is swapped: keep the same field active, or move on
  document.addEventListener("htmx:afterSwap", (ev) => {
    if (ev.detail.target && ev.detail.target.id === "fields" || (ev.detail.elt && ev.detail.elt.id === "fields")) {
      const msg = document.getElementById("field-message");
      if (msg) toast(msg.textContent, true);
      if (currentKey) focusField(currentKey, true);
    }
  });

  // ---- uploads by drag and drop -----------------------------------------------------
  async function send(form, files) {
    const status = form.querySelector(".drop-status");
    let done = 0;
    for (const f of files) {
      const body = new FormData();
      body.append("file", f, f.name);
      if (form.dataset.app) body.append("application_id", form.dataset.app);
      if (status) status.textContent = "正在上传 " + f.name + " …";
      const r = await fetch("/api/uploads", { method: "POST", body, headers: { "X-CSRF-Token": csrf() } });
      if (!r.ok) {
        let msg = "上传失败（" + r.status + "）";
        try { msg = (await r.json()).detail || msg; } catch (e) { /* not JSON */ }
        toast(f.name + "：" + msg, false);
      } else { done += 1; }
    }
    if (status) status.textContent = "已上传 " + done + " 个文件，后台正在读取。";
    if (done) setTimeout(() => window.location.reload(), 800);
  }

  document.querySelectorAll("form.drop").forEach((form) => {
    form.addEventListener("dragover", (ev) => { ev.preventDefault(); form.classList.add("over"); });
    form.addEventListener("dragleave", () => form.classList.remove("over"));
    form.addEventListener("drop", (ev) => {
      ev.preventDefault();
      form.classList.remove("over");
      if (ev.dataTransfer && ev.dataTransfer.files.length) send(form, Array.from(ev.dataTransfer.files));
    });
  });

  // on load: the first flagged field is ready for j
  const first = document.querySelector("#fields .field.flagged");
  if (first && window.location.hash === "#flagged") focusField(first.dataset.key);
})();
