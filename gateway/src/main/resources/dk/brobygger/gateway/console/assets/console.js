// The console's only script of its own (no inline scripts: the Content Security Policy forbids them).
// Buttons marked data-print print the page (the consent receipt).
document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-print]');
  if (button) {
    event.preventDefault();
    window.print();
  }
});
