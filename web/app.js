// vigil web shell: progressive enhancement only; every page works without it.
"use strict";

// The name of a table for the region that scrolls it: its caption, its own
// label, or the nearest heading before it.
function tableName(t) {
	if (t.getAttribute("aria-label")) return t.getAttribute("aria-label");
	if (t.caption && t.caption.textContent.trim()) return t.caption.textContent.trim();
	for (let e = t.previousElementSibling || t.parentElement; e; e = e.previousElementSibling || e.parentElement) {
		if (/^H[1-6]$/.test(e.tagName)) return e.textContent.trim();
		if (e.tagName === "MAIN" || e.tagName === "BODY") break;
	}
	return "Table";
}

document.addEventListener("DOMContentLoaded", () => {
	// Render UTC times in the reader's local time as a tooltip.
	for (const td of document.querySelectorAll("time[datetime]")) {
		const d = new Date(td.getAttribute("datetime"));
		if (!isNaN(d)) td.title = d.toLocaleString();
	}
	// A wide table scrolls inside a region a keyboard can reach (WCAG
	// 2.1.1): tables not drawn in one by ui_table_begin() are put in one.
	for (const t of document.querySelectorAll("main table")) {
		if (t.parentElement.classList.contains("table-scroll")) continue;
		const wrap = document.createElement("div");
		wrap.className = "table-scroll";
		wrap.setAttribute("role", "region");
		wrap.setAttribute("tabindex", "0");
		wrap.setAttribute("aria-label", tableName(t));
		t.parentNode.insertBefore(wrap, t);
		wrap.appendChild(t);
	}
	// After a refused form, the error summary takes the focus (GOV.UK).
	const summary = document.getElementById("error-summary");
	if (summary) summary.focus();
});
