/** What a provider's mailboxes need from the feedback loop beyond plain IMAP. */
export interface FeedbackLoop {
  /** Spam folder names to try (last path component, any case) when no SPECIAL-USE \Junk is announced. */
  spamNames: string[];
  /**
   * Folders where the provider (or a server rule) files mail that was delivered but not to the
   * primary inbox — a promotions/newsletter/clutter folder. Kiln mail found there is `other`.
   */
  otherNames: string[];
  /**
   * A server-side search (Gmail's X-GM-RAW) that picks, among mail in INBOX, what sits in a tab
   * other than the primary one: that mail is `other`, not `inbox`.
   */
  tabsQuery?: string;
  /** Keywords that tell the provider's filter "not junk" when Kiln rescues a message. */
  notJunkFlags: string[];
  /** Keywords to remove on rescue. */
  junkFlags: string[];
  /** A note on quirks, shown by `doctor` and kept here so the next person knows why. */
  quirks: string;
}
