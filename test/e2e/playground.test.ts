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
import { person, type Running, startApp } from '../support/app';
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

jest.setTimeout(180_000);

describe('in Microsoft 365 Agents Playground', () => {
  let running: Running;
  let browser: Awaited<ReturnType<typeof startBrowser>>;
  const playgrounds: Playground[] = [];
  const people: Record<keyof typeof ROLES, PersonAtPlayground> = {} as never;

  beforeAll(async () => {
    // no silent skip: without the browser this suite fails and says what to install
    if (!chromiumAvailable())
      throw new Error('Debian chromium is missing: apt-get install -y chromium (.ci/run does)');
    running = await startApp({ VARN_SECURITY_FUNCTION: malin.aadObjectId });
    const botUrl = `http://127.0.0.1:${running.port}/api/messages`;
    browser = await startBrowser();
    // each person's Playground starts on a port of its own, all at once; their pages open one by one
    const roles = Object.entries(ROLES) as [keyof typeof ROLES, string][];
    const started = await Promise.all(roles.map(([role]) => startPlayground(role, botUrl)));
    playgrounds.push(...started);
    for (const [i, [role, name]] of roles.entries())
      people[role] = await PersonAtPlayground.open(name, browser.context, started[i] as Playground);
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
    // the card quotes the organisation's own policy (its heading depends on how sure the match is)
    await expect(answer.innerText()).resolves.toContain('Säkerhetspolicy för Region Norrviken');
    await employee.click(/Yes/, answer);
    await employee.see('Thank you for your feedback');
    // the thanked card still quotes the policy
    await expect(answer.innerText()).resolves.toContain('Säkerhetspolicy för Region Norrviken');

    const second = await employee.ask('Can I bring my private computer to work and plug it in?');
    await employee.click('Ask the security function', second);
    await employee.see('is being sent to them now');

    // the chief's card arrives in her chat; an empty answer is stopped by the client, as in Teams
    const question = await chief.seeCard('private computer');
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

    // 👎 offers the security function first, and the offer sends the question on
    const unhelpful = await employee.ask('How often is the security policy reviewed?');
    await employee.click(/No/, unhelpful);
    await employee.see('Would you like the security function to answer instead?');
    await employee.click('Ask the security function', unhelpful);
    await employee.see('is being sent to them now');
    await chief.seeCard('How often is the security policy reviewed?');
  });

  test('a campaign with acknowledgement and a quiz: composed, previewed, sent from the preview, acknowledged without the quiz, quizzed, and its figures read', async () => {
    const { chief, employee } = people;
    const content = await chief.ask('new campaign');
    await chief.fill(content, /^Title/, 'Så skyddar du patientuppgifter');
    await chief.fill(content, /^Text/, 'Läs avsnittet om behörighet och svara på två frågor.');
    await chief.click('Next', content);
    const response = await chief.seeCard('Step 2 of 3');
    await response.getByRole('checkbox', { name: /must acknowledge/ }).check();
    const questions = response.getByLabel(/^The question/);
    const options = response.getByLabel(/^Answer options/);
    const correct = response.getByLabel(/^Right answer/);
    await questions.nth(0).fill('Får du läsa journalen för en patient du inte vårdar?');
    await options.nth(0).fill('Ja\nNej');
    await correct.nth(0).fill('2');
    await questions.nth(1).fill('Vem rapporterar du en säkerhetsbrist till?');
    await options.nth(1).fill('Närmaste chef\nIngen\nIT-supporten');
    await correct.nth(1).fill('1');
    await response.getByLabel(/^Right answers needed/).fill('2');
    await chief.click('Next', response);
    const audience = await chief.seeCard('Step 3 of 3');
    await audience.getByRole('radio', { name: 'Chosen units' }).check();
    await chief.choose(audience, /^Units/, 'Akutmottagningen Norrviken');
    await audience.getByRole('checkbox', { name: 'Include sub-units' }).uncheck();
    await chief.click('Preview', audience);

    // the preview holds the quiz as recipients will see it, and its own buttons still work
    const preview = await chief.seeCard('Preview: Så skyddar du patientuppgifter');
    await expect(preview.innerText()).resolves.toMatch(/Goes out\s+When you press Send/);
    await expect(preview.innerText()).resolves.toContain(
      'Recipients get the buttons: I have read this, Send answers',
    );
    await chief.click('Send', preview);
    await chief.see(/The campaign is being sent to \d+ people now/);

    // Johanna acknowledges without touching the quiz, then tries to send no answers, then answers
    const card = await employee.seeCard('Så skyddar du patientuppgifter', 60_000);
    await employee.click('I have read this', card);
    await employee.see(/You took this in .* Thank you!/);
    const open = await employee.seeCard('Så skyddar du patientuppgifter');
    await employee.click('Send answers', open);
    await employee.see('Choose an answer.');
    await open.getByRole('radio', { name: 'Nej' }).check();
    await open.getByRole('radio', { name: 'Närmaste chef' }).check();
    await employee.click('Send answers', open);
    await employee.see('You got 2 of 2 right – passed!');

    // the chief reads the figures: the list shows them, the figures card counts Johanna
    const list = await chief.ask('campaigns');
    await expect(list.innerText()).resolves.toMatch(/Delivered \d+ of \d+ · acknowledged 1/);
    await chief.click('Open', list);
    const again = await chief.seeCard('Preview: Så skyddar du patientuppgifter');
    await expect(again.innerText()).resolves.toMatch(/Sent\s+\d{4}-\d\d-\d\d \d\d:\d\d/);
    await chief.click('Show figures', again);
    const figures = await chief.seeCard('Figures: Så skyddar du patientuppgifter');
    await expect(figures.innerText()).resolves.toMatch(/Acknowledged\s+1 of/);
    await expect(figures.innerText()).resolves.toMatch(/Quiz passed\s+1 of 1/);
  });

  test('the yearly review: opened, filled in, returned, resubmitted, approved at every step, and closed after a confirmation', async () => {
    const { chief, manager, head } = people;
    const year = new Date().getFullYear();
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const form = await chief.ask('open review');
    await form
      .getByLabel(/^Deadline/)
      .first()
      .fill(deadline);
    await chief.choose(form, /^Units taking part/, 'The units under Hälso- och sjukvårdsförvaltningen');
    await chief.click('Open the review', form);
    await chief.see(/The \d{4} review is open for 3 units/);

    // Lena fills in every area: one goal partly met with a follow-up, the rest met
    const card = await manager.seeCard(`Yearly review ${year} – Akutmottagningen Norrviken`, 60_000);
    const areas = await card.getByRole('button', { name: /^Fill in: / }).allInnerTexts();
    expect(areas.length).toBeGreaterThan(3);
    let first = true;
    for (const area of areas) {
      await manager.click(area.trim());
      const form = await manager.seeCard(/Save and go back/);
      const ratings = form.getByLabel(/^Assessment/);
      const count = await ratings.count();
      for (let i = 0; i < count; i++) {
        await manager.chooseIn(ratings.nth(i), first && i === 0 ? 'Partly met' : 'Met');
      }
      if (first) {
        await manager.fill(form, /^Follow-up for a gap/, 'Öva larmrutinen med kvällspasset');
        await manager.chooseIn(form.getByLabel(/^Owner of the follow-up/).first(), 'Johanna Persson');
        await form
          .getByLabel(/^Due date/)
          .first()
          .fill(deadline);
        first = false;
      }
      await manager.click('Save and go back', form);
      await manager.seeCard(`Yearly review ${year} – Akutmottagningen Norrviken`);
    }
    await manager.click('Submit for approval');
    await manager.see(/Awaiting approval \(1 of 2\)/);

    // Per returns it with a comment; Lena reads it, completes and submits again
    const toPer = await head.seeCard(`Yearly review ${year} – Akutmottagningen Norrviken`, 60_000);
    await head.fill(toPer, /^Comment when returning/, 'Beskriv hur kontinuitetsplanen övats.');
    await head.click('Return', toPer);
    await manager.see('Comment: "Beskriv hur kontinuitetsplanen övats."', 60_000);
    await manager.click('Submit for approval');
    await manager.see(/Awaiting approval \(1 of 2\)/);

    // Per approves, then the security chief; Lena is told it is signed off
    const again = await head.seeCard(/Awaiting approval \(1 of 2\)/, 60_000);
    await head.click('Approve', again);
    const toMalin = await chief.seeCard(/Awaiting approval \(2 of 2\)/, 60_000);
    await chief.click('Approve', toMalin);
    await manager.see('The review was signed off at every step', 60_000);

    // closing asks first, naming the units that are not done, then gives the report's links
    const progress = await chief.ask('review progress');
    expect(await chief.buttonFits(`Close the ${year} review`, progress)).toBe(true);
    await chief.click(`Close the ${year} review`, progress);
    const confirm = await chief.seeCard(/not signed off/);
    await expect(confirm.innerText()).resolves.toContain('Medicinkliniken, Norrvikens sjukhus');
    await chief.click(`Yes, close the ${year} review`, confirm);
    await chief.see(`The ${year} review is closed`);
    await chief.page.getByRole('link', { name: 'the Word document' }).last().waitFor({ state: 'visible' });
  });
});
