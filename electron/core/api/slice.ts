import type { MethodName, Output, ParsedInput } from '../../../shared/api/table';
import type { CallContext } from './context';

export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: CallContext) => Promise<Output<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };
/** A feature folder's slice of the table. */
export type HandlerSlice<M extends MethodName> = { [K in M]: Handler<K> };
