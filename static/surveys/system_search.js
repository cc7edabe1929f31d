// The ST.13 checker's search for a published numbering system: as people type an ST.3
// code or part of a name, the server suggests at most twenty systems (/st13/systems/?q=),
// shown as an ARIA listbox under the field (a combobox). Choosing one stores its ID in the
// hidden "response" field. Without this script the typed text is sent and read on the
// server, which asks to choose when several systems match.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector(".system-search");
  if (!box) return;
  const input = box.querySelector("input[type=text]");
  const list = box.querySelector("[role=listbox]");
  const status = box.querySelector("[role=status]");
  const chosen = box.querySelector("input[type=hidden][name=response]");
  if (!input || !list || !chosen) return;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  let options = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const highlight = (index) => {
    options.forEach((option, i) => option.setAttribute("aria-selected", i === index ? "true" : "false"));
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const choose = (option) => {
    input.value = option.dataset.label;
    chosen.value = option.dataset.id;
    status.textContent = option.dataset.label;
    close();
  };

  const show = (data) => {
    list.replaceChildren();
    options = data.results.map((system, i) => {
      const option = document.createElement("li");
      option.id = `system-option-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.id = system.id;
      option.dataset.label = system.label;
      const name = document.createElement("span");
      name.className = "muted";
      name.textContent = ` · ${system.office_name}`;
      option.append(system.label, name);
      // mousedown, not click: the field keeps the focus.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(option);
      });
      list.append(option);
      return option;
    });
    if (data.more) {
      const more = document.createElement("li");
      more.className = "muted more";
      more.setAttribute("aria-hidden", "true");
      more.textContent = box.dataset.more;
      list.append(more);
    }
    status.textContent = options.length ? box.dataset.some : box.dataset.none;
    if (data.more) status.textContent += ` ${box.dataset.more}`;
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", options.length ? "true" : "false");
    active = -1;
  };

  const search = async () => {
    const text = input.value.trim();
    if (text.length < 2) {
      close();
      return;
    }
    const ask = ++asked;
    const url = new URL(box.dataset.suggestUrl, window.location.href);
    url.searchParams.set("q", text);
    try {
      const answer = await fetch(url, { headers: { Accept: "application/json" } });
      const data = await answer.json();
      if (ask !== asked) return; // a later search is under way
      if (!answer.ok) {
        close();
        status.textContent = data.detail || box.dataset.failed;
        return;
      }
      show(data);
    } catch {
      if (ask === asked) status.textContent = box.dataset.failed;
    }
  };

  input.addEventListener("input", () => {
    chosen.value = ""; // the text changed: what was chosen no longer holds
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });

  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) search();
      else highlight(active + 1 < options.length ? active + 1 : 0);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active > 0 ? active - 1 : options.length - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault(); // chooses the system instead of sending the form
      choose(options[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", close);
});
