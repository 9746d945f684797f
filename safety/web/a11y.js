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
    // A thumbnail's name is its caption (Gradio names it "Thumbnail 1 of 7", which neither
    // tells a screen reader which photo it is nor matches the words a voice user reads).
    for (const button of document.querySelectorAll("#examples button[aria-label], #results-gallery button[aria-label]")) {
      const caption = button.querySelector(".caption-label")?.textContent?.trim();
      if (caption && button.getAttribute("aria-label") !== caption) {
        button.setAttribute("aria-label", caption);
      }
    }
  };
  mark();
  // A run starts: move to the verdict, so that on a phone the results are on screen (the
  // inputs above them stay as they were, one scroll up).
  document.addEventListener("click", (event) => {
    if (event.target.closest?.("#run")) {
      setTimeout(() => document.getElementById("summary")?.scrollIntoView(
        { behavior: "smooth", block: "start" }), 400);
    }
  });
  new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
}
