// Every dialog's frame, built one way: a header with its title (the dialog's accessible name) and a Close
// button, and a padded body.

export function dialogHeader(id: string, title: string, dialog: HTMLDialogElement): HTMLElement {
  const heading = document.createElement('h2');
  heading.id = id;
  heading.textContent = title;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'tool';
  close.textContent = 'Close';
  close.addEventListener('click', () => dialog.close());
  const header = document.createElement('header');
  header.append(heading, close);
  return header;
}

export function dialogBody(...children: Node[]): HTMLElement {
  const body = document.createElement('div');
  body.className = 'body';
  body.append(...children);
  return body;
}
