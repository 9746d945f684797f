() => {
  // Attributes Gradio gives no parameter for, set on the components' stable wrappers (their
  // inner HTML is replaced on every update, so a live region inside it would be new each
  // time and never announced). Components shown later (the review panel) are caught by
  // watching the page.
  const LIVE = ["summary"];  // the verdict, and the review progress under it
  const mark = () => {
    for (const id of LIVE) {
      const el = document.getElementById(id);
      if (el && !el.hasAttribute("aria-live")) {
        el.setAttribute("aria-live", "polite");
        el.setAttribute("role", "status");
      }
    }
    const title = document.querySelector("#review-title .prose, #review-title");
    const head = document.getElementById("review-title");
    if (head && title && !title.hasAttribute("role")) {
      title.setAttribute("role", "heading");
      title.setAttribute("aria-level", "2");
    }
  };
  mark();
  new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
}
