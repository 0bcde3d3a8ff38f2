// The security checklist applied to every web contents and the session (the decisions themselves are the
// pure functions of main/desktop/window-policy.ts): no permission, no navigation away, no new windows,
// no <webview>, http(s) links to the system browser.
import { app, session, shell } from 'electron';
import { externalOpenTarget, mayGrantPermission, mayNavigate } from '../desktop/window-policy';

export function enforceWebSecurity(warn: (message: string) => void): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(mayGrantPermission(permission, details.requestingUrl)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => mayGrantPermission(permission, requestingOrigin));

  app.on('web-contents-created', (_event, contents) => {
    const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
      if (mayNavigate(url)) return;
      event.preventDefault();
      const target = externalOpenTarget(url);
      if (target) void shell.openExternal(target);
      else warn(`blocked navigation to ${url.slice(0, 200)}`);
    };
    contents.on('will-navigate', refuseNavigation);
    contents.on('will-redirect', refuseNavigation);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const target = externalOpenTarget(url);
      if (target) void shell.openExternal(target);
      return { action: 'deny' };
    });
  });
}
