// Desktop notifications for alerts that appear while Kiln runs. The first fleet seen is the
// baseline (no burst of toasts for what was already wrong at start-up); after that, only alerts
// whose key (mailbox + code) was not in the previous fleet are announced.
import { Notification } from 'electron';
import type { Fleet } from '../../shared/domain/fleet';
import { diffAlerts, notificationsFor, type NotificationContent } from './alert-diff';

export interface AlertNotifierOptions {
  /** preferences.desktop.notifications, read at notification time. */
  enabled: () => boolean;
  /** Open or focus the window. */
  onClick: () => void;
}

export interface AlertNotifier {
  update(fleet: Fleet): void;
  /** A one-off message (e.g. "still running in the tray"), under the same preference. */
  info(content: NotificationContent): void;
  dispose(): void;
}

// Unreferenced Notification objects may be garbage-collected before they are clicked; keep the
// recent ones, bounded so a long-running app does not accumulate them.
const KEEP = 10;

export function createAlertNotifier(opts: AlertNotifierOptions): AlertNotifier {
  let known: ReadonlySet<string> | null = null;
  const live = new Set<Notification>();

  const show = (content: NotificationContent): void => {
    if (!opts.enabled() || !Notification.isSupported()) return;
    const note = new Notification({ title: content.title, body: content.body });
    const forget = (): void => {
      live.delete(note);
    };
    note.on('click', () => {
      forget();
      opts.onClick();
    });
    note.on('close', forget);
    live.add(note);
    if (live.size > KEEP) live.delete(live.values().next().value as Notification);
    note.show();
  };

  return {
    update(fleet) {
      const { fresh, keys } = diffAlerts(known, fleet.alerts);
      // Keys move on even when notifications are off, so turning them on later announces nothing stale.
      known = keys;
      for (const content of notificationsFor(fresh)) show(content);
    },
    info: show,
    dispose() {
      for (const note of live) note.close();
      live.clear();
    },
  };
}
