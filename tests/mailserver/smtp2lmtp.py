"""Minimal SMTP server (aiosmtpd) relaying each message to Dovecot LMTP."""
import asyncio, signal, smtplib, sys
from aiosmtpd.controller import Controller

SMTP_PORT, LMTP_PORT = int(sys.argv[1]), int(sys.argv[2])

class Relay:
    async def handle_DATA(self, server, session, envelope):
        def deliver():
            with smtplib.LMTP("127.0.0.1", LMTP_PORT) as lmtp:
                return lmtp.sendmail(envelope.mail_from, envelope.rcpt_tos,
                                     envelope.original_content)
        try:
            refused = await asyncio.get_running_loop().run_in_executor(None, deliver)
        except smtplib.SMTPRecipientsRefused as e:
            return "550 5.1.1 recipients refused: " + ", ".join(e.recipients)
        except smtplib.SMTPResponseException as e:
            return "%d %s" % (e.smtp_code, e.smtp_error.decode(errors="replace"))
        except OSError as e:
            return "451 4.4.1 LMTP unavailable: %s" % e
        if refused:
            return "250 2.0.0 partly delivered; refused: " + ", ".join(refused)
        return "250 2.0.0 delivered"

signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
controller = Controller(Relay(), hostname="127.0.0.1", port=SMTP_PORT)
controller.start()
print("smtp2lmtp: 127.0.0.1:%d -> LMTP 127.0.0.1:%d" % (SMTP_PORT, LMTP_PORT), flush=True)
signal.sigwait({signal.SIGINT, signal.SIGTERM})
controller.stop()
