// askback's page script: citations open their own answer's source, quotes copy verbatim with their
// source, a new answer is shown from its start, and the source panel steps through its highlights.
// It stores nothing in the browser.
(() => {
  let clicks = 0;
  let current = 0;
  let answers = 0;
  let article = null;
  let opener = null;  // the citation that opened the panel: focus goes back to it when the panel closes
  let selected = null;  // the source last kept in view in the panel's list

  // The words the page script gives the controls it adds, from the page's header.
  const words = () => document.querySelector("#askback-words")?.dataset || {};

  function scrollParent(el) {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (/(auto|scroll)/.test(style.overflowY) && p.scrollHeight > p.clientHeight) return p;
    }
    return null;
  }

  // Scroll only the box that holds el (not the page), el at `fraction` of the box's height.
  function scrollWithin(el, fraction) {
    const box = scrollParent(el);
    if (!box) return;
    const offset = el.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += offset - box.clientHeight * fraction;
  }

  function openCitation(key) {
    const box = document.querySelector("#askback-open textarea, #askback-open input");
    if (!box) return;
    clicks += 1;
    showPanel();
    box.value = `${key}:${clicks}`;
    // "input" updates Gradio's copy of the value; Gradio submits a textbox on an Enter keypress.
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.dispatchEvent(new KeyboardEvent("keypress", { key: "Enter", bubbles: true }));
  }

  // On a phone the source panel is below the chat: a citation takes the reader down to it.
  // A suggested question, clicked: typed into the box and sent, as if the reader had.
  function askQuestion(text) {
    const box = question();
    const send = document.querySelector("#askback-send");
    if (!box || !send) return;
    box.value = text;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(() => send.click(), 0);
  }

  function showPanel() {
    const panel = document.querySelector("#askback-side");
    if (panel && panel.getBoundingClientRect().top > window.innerHeight * 0.5) panel.scrollIntoView({ block: "start" });
  }

  // Where a citation is, to find it again after the chat re-renders: its answer and its class.
  function locate(cite, key) {
    const bot = cite.closest('#askback-chat [data-testid="bot"]');
    const bots = [...document.querySelectorAll('#askback-chat [data-testid="bot"]')];
    return { answer: bot ? bots.indexOf(bot) : -1, key, element: cite };
  }

  function citation(found) {
    if (!found) return null;
    if (found.element.isConnected) return found.element;
    const bot = document.querySelectorAll('#askback-chat [data-testid="bot"]')[found.answer];
    return (bot || document).querySelector(`.${found.key}`);
  }

  // The panel closes (Close, or Escape): the article is put away and focus goes back to the
  // citation that opened it, where the reader was.
  function closePanel() {
    if (document.body.dataset.askbackPanel === "closed" || !document.querySelector("#askback-article")) return;
    document.body.dataset.askbackPanel = "closed";
    const back = citation(opener);
    if (back) back.focus();
  }

  // From the question box to the newest answer in one step: its first citation, or the answer itself.
  function newestAnswer() {
    const bots = document.querySelectorAll('#askback-chat [data-testid="bot"]');
    const last = bots[bots.length - 1];
    if (!last) return;
    const target = last.querySelector(".askback-cite, .askback-ask, .askback-copy");
    if (target) return void target.focus();
    last.tabIndex = -1;
    last.focus();
  }

  function skipLink() {
    const box = document.querySelector("#askback-question");
    if (!box || document.querySelector("#askback-skip")) return;
    const link = document.createElement("a");
    link.id = "askback-skip";
    link.href = "#askback-chat";
    link.textContent = words().skip || "Go to the newest answer";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      newestAnswer();
    });
    box.before(link);
  }

  // Said to a screen reader, politely: what a control did that shows only as a mark.
  function announce(text) {
    let live = document.querySelector("#askback-live");
    if (!live) {
      live = document.createElement("div");
      live.id = "askback-live";
      live.className = "askback-sr";
      live.setAttribute("aria-live", "polite");
      document.body.append(live);
    }
    live.textContent = "";
    setTimeout(() => { live.textContent = text; }, 50);
  }

  async function copyQuote(button) {
    const quote = button.closest(".askback-quote");
    const text = quote.querySelector(".askback-text").textContent + quote.querySelector(".askback-source").textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      // No clipboard access (an insecure origin): select the quote so the reader can copy it.
      const range = document.createRange();
      range.selectNodeContents(quote.querySelector(".askback-text"));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return;
    }
    button.classList.add("askback-copied");
    setTimeout(() => button.classList.remove("askback-copied"), 1500);
    const quotes = [...button.closest('[data-testid="bot"]')?.querySelectorAll(".askback-copy") || []];
    announce((words().copied || "Quote {number} copied with its source.").replace("{number}", quotes.indexOf(button) + 1));
  }

  function highlights() {
    return [...document.querySelectorAll("#askback-article mark.askback-first")];
  }

  function showHighlight(index) {
    const marks = highlights();
    if (!marks.length) return;
    current = (index + marks.length) % marks.length;
    marks.forEach((m, i) => m.classList.toggle("askback-current", i === current));
    scrollWithin(marks[current], 0.3);
    const count = document.querySelector("#askback-count");
    if (count) count.textContent = `${current + 1} / ${marks.length}`;
  }

  // A message over the limit is never posted: the count under the box says how far over it is.
  const limit = () => window.ASKBACK_LIMIT || 4000;
  const question = () => document.querySelector("#askback-question textarea");

  function countChars() {
    const box = question();
    if (!box) return 0;
    let count = document.querySelector("#askback-chars");
    if (!count) {
      count = document.createElement("p");
      count.id = "askback-chars";
      count.setAttribute("aria-live", "polite");
      box.closest("#askback-question").after(count);
    }
    const n = box.value.length;
    const LIMIT = limit();
    const near = n >= LIMIT * 0.8;
    count.hidden = !near;
    count.classList.toggle("askback-over", n > LIMIT);
    count.textContent = n > LIMIT
      ? `${n.toLocaleString("en")} / ${LIMIT.toLocaleString("en")} characters: shorten it to send`
      : `${n.toLocaleString("en")} / ${LIMIT.toLocaleString("en")} characters`;
    return n;
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) closePanel();
  });

  document.addEventListener("input", (event) => {
    if (event.target === question()) countChars();
  });
  // Capture phase: before Gradio's own handlers submit the box.
  document.addEventListener("keydown", (event) => {
    if (event.target === question() && event.key === "Enter" && !event.shiftKey && countChars() > limit()) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", (event) => {
    if (event.target.closest("#askback-send") && countChars() > limit()) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", (event) => {
    const cite = event.target.closest(".askback-cite");
    if (cite) {
      const key = [...cite.classList].find((c) => c.startsWith("askback-open-"));
      if (key) {
        opener = locate(cite, key);
        openCitation(key.slice("askback-open-".length).replaceAll("-", ":"));
      }
      return;
    }
    if (event.target.closest("#askback-close")) return void closePanel();
    const ask = event.target.closest(".askback-ask");
    if (ask) return void askQuestion(ask.textContent);
    const copy = event.target.closest(".askback-copy");
    if (copy) return void copyQuote(copy);
    if (event.target.closest("#askback-next")) return void showHighlight(current + 1);
  });

  // Gradio labels each message with its raw content, here HTML: a screen reader would read the tags.
  function labelMessages() {
    for (const message of document.querySelectorAll('#askback-chat [data-testid="bot"], #askback-chat [data-testid="user"]')) {
      const label = message.getAttribute("aria-label") || "";
      const words = message.innerText.trim();  // empty until Gradio has rendered the message
      if (label.includes("<") && words) message.setAttribute("aria-label", `${label.split(":")[0]}: ${words}`);
    }
  }

  // The list of sources scrolls after a few rows, and shows whole rows only: never one cut mid-line.
  function fitWholeRows(list) {
    const labels = [...list.querySelectorAll("label")];
    const rows = window.innerHeight >= 860 ? 3 : 2;
    let height = "none";
    if (labels.length > rows) {
      const last = labels[rows - 1];
      const bottom = last.getBoundingClientRect().bottom - list.getBoundingClientRect().top + list.scrollTop;
      height = `${Math.ceil(bottom) + 2}px`;  // the next row begins below the gap
    }
    if (list.style.maxHeight !== height) list.style.setProperty("max-height", height, "important");
  }

  // The source chosen (by a citation or in the list) stays in view in the list, which scrolls.
  function keepSelectedInView(list) {
    const checked = list.querySelector("input:checked");
    const label = checked && checked.closest("label");
    if (!label || checked.value === selected) return;
    selected = checked.value;
    const top = label.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop;
    if (top < list.scrollTop || top + label.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = top - (list.clientHeight - label.offsetHeight) / 2;
    }
  }

  // Names and states a screen reader can act on, where Gradio leaves generic ones.
  function accessibility() {
    for (const bin of document.querySelectorAll('#askback-chat button[aria-label="Clear"]')) {
      bin.setAttribute("aria-label", window.ASKBACK_CLEAR_NAME || "Clear the conversation");
    }
    const sources = document.querySelector("#askback-citations");
    if (sources) {
      sources.setAttribute("aria-label", window.ASKBACK_SOURCES_NAME || "Sources of this answer");
      // One name for the group: one Tab stop, arrow keys move between the sources.
      for (const input of sources.querySelectorAll('input[type="radio"]')) {
        if (input.name !== "askback-sources") input.name = "askback-sources";
      }
      fitWholeRows(sources);
      for (const label of sources.querySelectorAll("label")) {
        const name = label.textContent.trim();  // cut to fit on a phone: the whole name on hover and focus
        if (name && label.title !== name) label.title = name;
      }
      keepSelectedInView(sources);
    }
    for (const toggle of document.querySelectorAll("#askback-side button.label-wrap")) {
      const content = toggle.nextElementSibling;
      const open = content ? getComputedStyle(content).display !== "none" : false;
      if (toggle.getAttribute("aria-expanded") !== String(open)) toggle.setAttribute("aria-expanded", String(open));
    }
  }

  new MutationObserver(() => {
    labelMessages();
    accessibility();
    const bots = document.querySelectorAll('#askback-chat [data-testid="bot"]');
    if (bots.length > answers) {
      const last = bots[bots.length - 1];
      requestAnimationFrame(() => scrollWithin(last, 0));
    }
    answers = bots.length;
    // Each render of the panel carries a new data-shown key (Gradio may patch the same element).
    const shown = document.querySelector("#askback-article");
    skipLink();
    if (shown && shown.dataset.shown !== article) {
      article = shown.dataset.shown;
      delete document.body.dataset.askbackPanel;  // a citation opened: the panel shows again
      selected = null;
      const marks = highlights();
      const best = document.querySelector("#askback-hit");
      showHighlight(Math.max(0, marks.indexOf(best)));
    }
  }).observe(document.documentElement, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["data-shown", "style", "name"],
  });

  // "Save as Markdown": the server sends the text, the page saves it as a file; nothing is stored.
  window.askbackSave = (text) => {
    if (!text) return;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
    link.download = "askback-conversation.md";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };

  // The conversation lives only in this tab: say so before a reload or close discards it.
  window.addEventListener("beforeunload", (event) => {
    if (document.querySelector('#askback-chat [data-testid="bot"]')) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
