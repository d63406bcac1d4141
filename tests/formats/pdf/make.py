from reportlab.lib.pagesizes import A4
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, PageBreak
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
styles = getSampleStyleSheet()
w, h = A4
d = BaseDocTemplate("council-report.pdf", pagesize=A4, title="Harbour council backs the new ferry pier",
                    author="Mira Okafor", subject="council", creator="test fixture")
frames = [Frame(40, 40, (w-100)/2, h-80, id='c1'), Frame(60+(w-100)/2, 40, (w-100)/2, h-80, id='c2')]
d.addPageTemplates([PageTemplate(frames=frames)])
story = [Paragraph("Harbour council backs the new ferry pier", styles['Title'])]
left = ("Councillors voted eleven to four on Tuesday night to fund a second ferry pier at the "
        "north basin, ending a dispute that has run since the spring flooding closed the old landing. ")
for i in range(6):
    story.append(Paragraph(left + f"Paragraph {i} of the first column keeps the order of reading plain.", styles['BodyText']))
story.append(PageBreak())
story.append(Paragraph("On the second page the harbourmaster said the zeppelin mooring mast "
                       "would be taken down before the pier works begin in March.", styles['BodyText']))
d.build(story)
c = canvas.Canvas("no-text.pdf", pagesize=A4)
c.rect(100, 100, 300, 400, fill=1)
c.showPage(); c.save()
c = canvas.Canvas("encrypted.pdf", pagesize=A4, encrypt="secret-password")
c.drawString(100, 700, "This page is locked with a password.")
c.showPage(); c.save()
data = open("council-report.pdf", "rb").read()
open("damaged.pdf", "wb").write(data[: len(data) // 3])
