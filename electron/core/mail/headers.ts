/**
 * Every message Kiln sends carries a random token in this header. The name is one many senders
 * use, so it does not single out Kiln mail to a filter; the value is random, so it cannot be
 * forged or guessed. Mail without a known token is never touched.
 */
export const REF_HEADER = 'X-Entity-Ref-ID';
