"""`flask anxun documents samples OUTDIR`: sample PDFs and first-page PNGs from the demo data."""

from __future__ import annotations

import subprocess

from PIL import Image


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_samples_render_pdfs_and_small_first_page_pngs_from_the_demo(app, db, tmp_path):
    assert run(app, "anxun", "seed", "--if-empty").exit_code == 0
    # A subset keeps the test quick: the order (two officers), the register and the risk card.
    stems = ("rectification-order", "risk-register", "risk-card")
    only = [arg for stem in stems for arg in ("--only", stem)]
    result = run(app, "anxun", "documents", "samples", str(tmp_path), *only)
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"{stem}.{ext}" for stem in stems for ext in ("pdf", "png")
    )
    for stem in stems:
        pdf, png = tmp_path / f"{stem}.pdf", tmp_path / f"{stem}.png"
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert 0 < png.stat().st_size < 200_000
        with Image.open(png) as image:
            assert image.format == "PNG" and image.width > 300
    text = "".join(
        subprocess.run(
            ["pdftotext", str(tmp_path / "risk-card.pdf"), "-"], capture_output=True, check=True
        )
        .stdout.decode()
        .split()
    )
    # The demo's 液氨罐区 unit is graded LEC 3×6×15 = 270: the card reads its level.
    assert "风险等级：较大风险" in text
    assert "责令限期整改指令书" in result.output and "风险告知卡" in result.output


def test_samples_refuse_an_unknown_document(app, tmp_path):
    result = run(app, "anxun", "documents", "samples", str(tmp_path), "--only", "memo")
    assert result.exit_code != 0
    assert not list(tmp_path.iterdir())
