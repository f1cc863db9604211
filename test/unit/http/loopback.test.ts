import { isLoopbackAddress, isLoopbackHostHeader, isLoopbackUrl } from '../../../bot/platform/http/loopback';

test('loopback peers are this machine; other addresses are not', () => {
  for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
    expect(isLoopbackAddress(address)).toBe(true);
  for (const address of [
    '10.0.0.5',
    '192.168.1.20',
    '::ffff:192.168.1.20',
    'fe80::1',
    '127.0.0.1.evil',
    '',
    undefined,
  ]) {
    expect(isLoopbackAddress(address)).toBe(false);
  }
});

test('a Host header names this machine only with a loopback name (a DNS-rebinding page sends its own)', () => {
  for (const host of ['localhost', 'localhost:3978', '127.0.0.1:3978', '[::1]:3978', 'app.localhost:80'])
    expect(isLoopbackHostHeader(host)).toBe(true);
  for (const host of ['evil.example:3978', '127.0.0.1.nip.io:3978', 'localhost.evil.example', '', undefined])
    expect(isLoopbackHostHeader(host)).toBe(false);
});

test('a service URL on this machine is loopback http(s); anything else is not', () => {
  expect(isLoopbackUrl('http://127.0.0.1:56150/')).toBe(true);
  expect(isLoopbackUrl('http://localhost:56150/')).toBe(true);
  for (const url of ['https://smba.trafficmanager.net/teams/', 'http://10.0.0.7/', 'file:///etc/passwd', 'x'])
    expect(isLoopbackUrl(url)).toBe(false);
});
