// Native notifications (alerts, and what the page asks for). Each one is held until it is closed or clicked:
// Electron drops a notification's click handler when the object is garbage-collected.
import { Notification } from 'electron';
import type { NotificationRequest } from '../../protocol/desktop-ipc';

/** Notifications held at once; the oldest are let go beyond this (they stay on screen, only their click is lost). */
const MAX_HELD = 50;
const held = new Set<Notification>();

export function showNotification({ title, body }: NotificationRequest, onClick?: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body });
  held.add(notification);
  if (held.size > MAX_HELD) held.delete(held.values().next().value!);
  const release = () => held.delete(notification);
  notification.on('close', release);
  notification.on('click', () => {
    release();
    onClick?.();
  });
  notification.show();
}
