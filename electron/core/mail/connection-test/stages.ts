// The dns and connect stages both protocols share, with what each asked and what answered.
import net from 'node:net';
import type { ConnectOptions } from './types';
import type { Lifetime } from './deadline';
import { connectTcp, resolveHost } from './sockets';

/** The part of a run's StageLog these stages write to. */
interface Log {
  ask(stage: 'dns' | 'connect', question: string): void;
  answer(stage: 'dns' | 'connect', answer: string): void;
}

export async function askDns(log: Log, host: string, lookup: ConnectOptions['lookup']): Promise<string[]> {
  log.ask('dns', net.isIP(host) ? `address ${host}` : `A/AAAA ${host}`);
  const addresses = await resolveHost(host, lookup);
  log.answer('dns', net.isIP(host) ? 'an IP address: nothing to look up' : addresses.join(', '));
  return addresses;
}

export async function askConnect(log: Log, addresses: readonly string[], port: number, run: Lifetime): Promise<net.Socket> {
  log.ask('connect', `TCP connect to ${addresses.join(' or ')} port ${port}`);
  const socket = await connectTcp(addresses, port, run);
  log.answer('connect', `connected to ${socket.remoteAddress ?? addresses[0]}:${port}`);
  return socket;
}
