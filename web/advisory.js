// advisory.js - the live preview of the advisory editor (/ui/advisories/{id}):
// while the PSIRT types in the document box, the server renders the typed
// document as users will read it and checks it (the same POST as the
// "Preview without saving" button, preview=1: nothing is stored), and the
// preview and validation sections are swapped in. Enhancement only: without
// JavaScript the button does the same with a page load.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
	const form = document.getElementById("edit-form");
	const box = form?.querySelector('textarea[name="document"]');
	if (!form || !box) return;
	let timer = null;
	let seq = 0;
	const refresh = async () => {
		const mine = ++seq;
		const data = new URLSearchParams();
		for (const [k, v] of new FormData(form)) if (k !== "path" && k !== "value") data.set(k, v);
		data.set("preview", "1");
		let html;
		try {
			const resp = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
			if (!resp.ok) return;
			html = await resp.text();
		} catch {
			return;
		}
		if (mine !== seq) return; // a newer keystroke is on its way
		const doc = new DOMParser().parseFromString(html, "text/html");
		for (const id of ["validation", "preview"]) {
			const now = document.getElementById(id);
			const next = doc.getElementById(id);
			if (now && next) now.replaceWith(document.importNode(next, true));
		}
		document.getElementById("preview")?.setAttribute("data-live", String(mine));
	};
	box.addEventListener("input", () => {
		clearTimeout(timer);
		timer = setTimeout(refresh, 400);
	});
});
