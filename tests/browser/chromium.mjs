// Launching Debian's Chromium through playwright-core for WebRTC tests, as interop-findings §2
// says: headless, fake camera and microphone without a prompt, real host IPs instead of mDNS
// names, loopback candidates. Shared by run.mjs and demo.mjs.

/** Chromium's command-line flags. */
export function chromiumArgs() {
  return [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    // Loopback candidates need this and the fake-UI flag together.
    '--allow-loopback-in-peer-connection',
    // TACET_CHROMIUM_LOG=1 DEBUG=pw:browser: WebRTC's own log on stderr, for diagnosis.
    ...(process.env.TACET_CHROMIUM_LOG ? [
      '--enable-logging=stderr', '--v=0', '--vmodule=*/webrtc/*=1',
    ] : []),
  ];
}
