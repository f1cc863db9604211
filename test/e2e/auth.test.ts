import { startApp } from '../support/app';

test('with a bot app id configured, a request without a valid Bot Framework token gets 401', async () => {
  const id = '3f1c2b4a-1111-4222-8333-444455556666';
  const running = await startApp({ MicrosoftAppId: id, MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: id });
  try {
    const noToken = await running.channel.post({
      type: 'message',
      text: 'hej',
      serviceUrl: running.channel.serviceUrl,
      channelId: 'msteams',
      from: { id: '29:x', aadObjectId: id },
      conversation: { id: 'a:1', tenantId: id },
      recipient: { id: '28:bot' },
    });
    expect(noToken.status).toBe(401);
    const forged = await running.channel.post(
      { type: 'message', text: 'hej', serviceUrl: running.channel.serviceUrl, channelId: 'msteams', from: { id: '29:x' }, conversation: { id: 'a:1' }, recipient: { id: '28:bot' } },
      { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' },
    );
    expect(forged.status).toBe(401);
  } finally {
    await running.close();
  }
});
