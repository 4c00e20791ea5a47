// Input pieces several features' methods share (ids, addresses, time zones, pages).
import { z } from 'zod';
import { serverSettings } from '../../domain/mailbox';
import { rampPresets } from '../../warmup/ramp';
import { isValidTimeZone } from '../../warmup/calendar';

export const id = z.object({ id: z.string().min(1).max(64) });

export const email = z.email().max(320).transform((s) => s.toLowerCase());

// Host, port and security may come from the provider preset; the password never has a default.
export const serverInput = serverSettings.partial().extend({ password: z.string().min(1).max(1024) });

export const serverPatch = serverInput.partial();

export const timeZone = z.string().min(1).max(64).refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris');

export const addressList = z.array(email).max(100);

export const presetName = z.enum(Object.keys(rampPresets) as [keyof typeof rampPresets, ...(keyof typeof rampPresets)[]]);

export const cursorPage = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const limit = z.coerce.number().int().min(1).max(500).default(50);
