// Package e2e holds the browser tests of eSPEKS's user journeys: a real headless
// Chromium, driven with chromedp, uses the whole portal as people do (typing into the
// fields, pressing the buttons, following the menu) against a real server on a fresh
// database (see internal/apptest), with the outbox delivering to a real SMTP server.
// Every page the journey reaches is also checked with axe-core for WCAG 2.0-2.2 A and
// AA violations, and anything the pages put on the browser console (a blocked or
// missing asset, a CSP violation) fails the test.
//
// The tests need Chromium and axe-core, so they run only when ESPEKS_E2E=1, as
// scripts/test.sh sets it (with ESPEKS_CHROMIUM and ESPEKS_AXE_JS); without it they
// skip. Set ESPEKS_E2E_SHOTS to a directory to keep a full-page screenshot of every
// checked page there.
package e2e
