import { applyDecorators, Catch, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { Contract } from '@tlp/contracts';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC exception filter replaces every unknown error with a generic one, which would hide
 * from the transport whether a failure is retriable. This filter hands the original error back.
 */
@Catch()
export class RethrowRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/** Marks a method as the handler of one contract's events; the Kafka transport owns commits, retries and DLQ. */
export function OnEvent(contract: Contract): MethodDecorator {
  return applyDecorators(EventPattern(contract.type), UseFilters(RethrowRpcExceptionFilter));
}
