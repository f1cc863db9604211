import { fromThisMachine } from '../../../bot/platform/http/embeddedLogin';

test('the development sign-in answers loopback addresses only', () => {
  for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
    expect(fromThisMachine(address)).toBe(true);
  for (const address of [
    '10.0.0.5',
    '192.168.1.20',
    '::ffff:192.168.1.20',
    'fe80::1',
    '127.0.0.1.evil',
    '',
    undefined,
  ]) {
    expect(fromThisMachine(address)).toBe(false);
  }
});
