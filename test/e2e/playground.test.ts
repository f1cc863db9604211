/**
 * The journeys in a real Teams-like client: Microsoft 365 Agents Playground, one per person (an
 * employee, a manager, a head of administration and the security chief, chatting at once), driven in
 * Debian's chromium. Each step types or clicks as the person would and asserts what the person sees.
 * The Playground validates required inputs before any action, as Teams does: the local channel did not.
 *
 * The Playground's limits bend these tests where noted: it always sends en-US (so everyone reads
 * English here; Swedish is covered by the channel tests), and it knows only the people of its config
 * (the security function is configured as the security chief alone, so escalation cards go to a person
 * who has a Playground).
 */
import { person, type Running, sample, startApp } from '../support/app';
import {
  chromiumAvailable,
  PersonAtPlayground,
  type Playground,
  startBrowser,
  startPlayground,
} from '../support/playground';

const malin = person('Malin Forsberg');
const ROLES = {
  employee: 'Johanna Persson',
  manager: 'Lena Bergqvist',
  head: 'Per Åkesson',
  chief: 'Malin Forsberg',
};

const suite = chromiumAvailable() ? describe : describe.skip;
jest.setTimeout(180_000);

suite('in Microsoft 365 Agents Playground', () => {
  let running: Running;
  let browser: Awaited<ReturnType<typeof startBrowser>>;
  const playgrounds: Playground[] = [];
  const people: Record<keyof typeof ROLES, PersonAtPlayground> = {} as never;

  beforeAll(async () => {
    running = await startApp({ VARN_SECURITY_FUNCTION: malin.aadObjectId });
    const botUrl = `http://127.0.0.1:${running.port}/api/messages`;
    browser = await startBrowser();
    for (const [role, name] of Object.entries(ROLES) as [keyof typeof ROLES, string][]) {
      const playground = await startPlayground(role, botUrl);
      playgrounds.push(playground);
      people[role] = await PersonAtPlayground.open(name, browser.context, playground);
    }
    // everyone opened their chat: one welcome each, and the bot knows where each person is
    for (const who of Object.values(people)) await who.seeCard("Hi! I'm Värn");
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    for (const playground of playgrounds) await playground.stop();
    await running?.close();
  });

  test('installing greets once, and each person reads only the commands they may use', async () => {
    const { employee, chief } = people;
    expect(await employee.cards().filter({ hasText: "Hi! I'm Värn" }).count()).toBe(1);
    const help = await employee.ask('help');
    await expect(help.innerText()).resolves.not.toMatch(/my review|open review|new campaign/);
    const chiefHelp = await chief.ask('help');
    await expect(chiefHelp.innerText()).resolves.toMatch(
      /open review[\s\S]*new campaign[\s\S]*open questions/,
    );
  });

  test('a question: the answer quotes the policy, 👍 is thanked, an escalation reaches the security chief, whose answer comes back', async () => {
    const { employee, chief } = people;
    const answer = await employee.ask('Who should I report a security deficiency to?');
    await expect(answer.innerText()).resolves.toContain('This is what the governing documents say');
    await employee.click(/Yes/, answer);
    await employee.see('Thank you for your feedback');

    const second = await employee.ask('Can I bring my private computer to work and plug it in?');
    await employee.click('Ask the security function', second);
    await employee.see('is being sent to them now');

    // the chief's card arrives in her chat; an empty answer is stopped by the client, as in Teams
    const question = await chief.seeCard('private computer').catch(async (error) => {
      await chief.page.screenshot({ path: '/tmp/h13/pw/chief-fail.png' });
      throw error;
    });
    await chief.click('Send answer', question);
    await chief.see('Write an answer before sending.');
    await question
      .getByRole('textbox')
      .first()
      .fill('No. Private computers may not be connected to the network.');
    await chief.click('Send answer', question);
    await chief.see('Answered by Malin Forsberg');

    const delivered = await employee.seeCard('The security function has answered your question');
    await expect(delivered.innerText()).resolves.toContain('Private computers may not be connected');
  });
});

void sample;
