import { RpcException } from '@nestjs/microservices';
import { PermanentMessageError } from '../errors/permanent-message.error';
import { describeFailure } from './failure';

describe('describeFailure', () => {
  it('keeps the name and message of an ordinary error as transient', () => {
    expect(describeFailure(new TypeError('boom'))).toEqual({ permanent: false, message: 'TypeError: boom' });
  });

  it('recognises a PermanentMessageError and its cause', () => {
    const failure = describeFailure(new PermanentMessageError('bad batch', new Error('field x')));
    expect(failure).toEqual({ permanent: true, message: 'PermanentMessageError: bad batch (cause: field x)' });
  });

  it('recognises the object Nest derives from a PermanentMessageError', () => {
    const nestShaped = new PermanentMessageError('rule broken').getError();
    expect(describeFailure(nestShaped)).toEqual({ permanent: true, message: 'rule broken' });
  });

  it('keeps the message of a Nest error object as transient', () => {
    expect(describeFailure({ status: 'error', message: 'Internal server error' })).toEqual({ permanent: false, message: 'Internal server error' });
    expect(describeFailure(new RpcException('plain')).permanent).toBe(false);
  });

  it('stringifies anything else', () => {
    expect(describeFailure('text')).toEqual({ permanent: false, message: 'text' });
    expect(describeFailure({ code: 7 })).toEqual({ permanent: false, message: '{"code":7}' });
  });
});
