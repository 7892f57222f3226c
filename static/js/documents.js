// Documents: a button marked data-print prints the page (the page's print CSS lays it out on A4).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
