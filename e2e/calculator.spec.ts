import { expect } from '@playwright/test';
import { test } from './fixtures.ts';
import { expectAccessible, openAs, setLanguage } from './helpers.ts';

// Issue 16 item 5: the public cost calculator reproduces the spec's worked reference (MP rates of
// 1 Oct 2025, a full month, EPF ceiling, ESIC, service charge 3.85 %, inter-state → IGST) with the
// heads in force (EPF half-up to the rupee, ESIC up to the rupee), in Hindi and English, no login.

test('a visitor prices the worked reference from the login page, in Hindi and English', async ({ page }) => {
  await page.goto('/login');
  await setLanguage(page, 'hi');
  await page.getByRole('link', { name: 'लागत कैलकुलेटर (बिना लॉगिन)' }).click();
  await expect(page).toHaveURL(/\/calculator$/);
  await expect(page.getByRole('heading', { level: 2, name: 'लागत कैलकुलेटर' })).toBeVisible();
  await expectAccessible(page);

  // Row 1 comes with the unskilled reference (9,575 + 2,575); add the highly skilled worker.
  await page.getByRole('button', { name: 'पंक्ति जोड़ें' }).click();
  const row2 = page.getByRole('group', { name: 'कर्मी, पंक्ति 2' });
  await row2.getByLabel('मूल वेतन (₹ प्रति माह)').fill('13,919');
  await row2.getByLabel('वीडीए (₹ प्रति माह)').fill('2575.00');
  await row2.getByLabel('भुगतान दिवस').fill('31');
  await row2.getByLabel('माह के दिन').fill('31');
  await page.getByRole('button', { name: 'गणना करें' }).click();

  const rows1 = page.getByRole('table', { name: /पंक्ति 1/ });
  await expect(rows1.getByRole('row', { name: /ईपीएफ नियोक्ता 12%/ })).toContainText('₹1,458.00');
  await expect(rows1.getByRole('row', { name: /ईएसआईसी नियोक्ता 3.25%/ })).toContainText('₹395.00');
  const rows2 = page.getByRole('table', { name: /पंक्ति 2/ });
  await expect(rows2.getByRole('row', { name: /ईपीएफ नियोक्ता 12%/ })).toContainText('₹15,000.00');
  await expect(rows2.getByRole('row', { name: /ईपीएफ नियोक्ता 12%/ })).toContainText('₹1,800.00');
  await expect(rows2.getByRole('row', { name: /ईएसआईसी नियोक्ता 3.25%/ })).toContainText('₹537.00');
  const totals = page.getByTestId('calc-totals');
  await expect(totals.getByRole('row', { name: /उप-योग/ })).toContainText('₹33,106.00');
  await expect(totals.getByRole('row', { name: /सेवा शुल्क/ })).toContainText('₹1,274.58');
  await expect(totals.getByRole('row', { name: /आईजीएसटी 18%/ })).toContainText('₹6,188.50');
  await expect(totals.getByRole('row', { name: /सीजीएसटी/ })).toHaveCount(0);
  await expect(totals.getByRole('row', { name: 'पूर्णांकन -₹0.08' })).toBeVisible();
  await expect(totals.getByRole('row', { name: /बीजक योग/ })).toContainText('₹40,569.00');
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/screens/calculator-hi.png', fullPage: true });

  // English, within the state: CGST + SGST each 9 %, the same taxable value.
  await setLanguage(page, 'en');
  await page.getByLabel('Within the state (CGST + SGST)').check();
  await page.getByRole('button', { name: 'Calculate' }).click();
  const en = page.getByTestId('calc-totals');
  await expect(en.getByRole('row', { name: /Taxable value/ })).toContainText('₹34,380.58');
  await expect(en.getByRole('row', { name: /CGST 9%/ })).toContainText('₹3,094.25');
  await expect(en.getByRole('row', { name: /SGST 9%/ })).toContainText('₹3,094.25');
  await expect(en.getByRole('row', { name: /IGST/ })).toHaveCount(0);

  // Bad input is named beside the field, and no figures are shown.
  const row1 = page.getByRole('group', { name: 'Workers, row 1' });
  await row1.getByLabel('Paid days').fill('32');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(row1.getByText('Must be at most 31.')).toBeVisible();
  await expect(page.getByTestId('calc-totals')).toHaveCount(0);
  await row1.getByLabel('Basic (₹ per month)').fill('12.345');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(row1.getByText('Enter an amount in rupees, e.g. 12150 or 12,150.50.')).toBeVisible();
  await expectAccessible(page);

  // Issue 16's other out-of-range inputs, each named beside its own field (and only there), in both languages.
  await row1.getByLabel('Basic (₹ per month)').fill('-9575');
  await row1.getByLabel('Paid days').fill('31');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(row1.getByText('Enter an amount in rupees, e.g. 12150 or 12,150.50.')).toBeVisible();
  await row1.getByLabel('Basic (₹ per month)').fill('9575');
  await row1.getByLabel('Days in the month').fill('0');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(row1.getByText('Must be at least 28.')).toBeVisible();
  await expect(row1.getByLabel('Paid days')).not.toHaveAttribute('aria-invalid', 'true');
  await row1.getByLabel('Days in the month').fill('31');
  await row1.getByLabel('Number of workers').fill('10001');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(row1.getByText('Must be at most 10000.')).toBeVisible();
  await row1.getByLabel('Number of workers').fill('1');
  await page.getByLabel('Service charge (%)').fill('1000');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(page.getByText('At most 100 %.')).toBeVisible();
  await expect(page.getByLabel('Service charge (%)')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('calc-totals')).toHaveCount(0);
  await setLanguage(page, 'hi');
  const hiRow1 = page.getByRole('group', { name: 'कर्मी, पंक्ति 1' });
  await hiRow1.getByLabel('माह के दिन').fill('0');
  await page.getByRole('button', { name: 'गणना करें' }).click();
  await expect(page.getByText('अधिकतम 100 % हो सकता है।')).toBeVisible();
  await page.getByLabel('सेवा शुल्क (%)').fill('3.85');
  await page.getByRole('button', { name: 'गणना करें' }).click();
  await expect(hiRow1.getByText('कम से कम 28 होना चाहिए।')).toBeVisible();
  await expect(hiRow1.getByLabel('भुगतान दिवस')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('calc-totals')).toHaveCount(0);
  await expectAccessible(page);
});

test('Finance reads the heads in force with their ceilings and can revise them (Hindi and English, axe-clean)', async ({ page }) => {
  await openAs(page, 'finance_admin', '/statutory-heads');
  await expect(page.getByRole('heading', { level: 2, name: 'Statutory Heads and Wage Definition' })).toBeVisible();
  const inForce = page.getByRole('table', { name: /Heads in force on/ });
  await expect(inForce.getByRole('row', { name: /EPF_ER/ })).toContainText('12 %');
  await expect(inForce.getByRole('row', { name: /EPF_ER/ })).toContainText('₹15,000.00');
  await expect(page.getByRole('button', { name: 'Revise EPF_ER' })).toBeVisible();
  await expectAccessible(page);
  await setLanguage(page, 'hi');
  await expect(page.getByRole('heading', { level: 2, name: 'सांविधिक मद और मजदूरी की परिभाषा' })).toBeVisible();
  await expectAccessible(page);
});
