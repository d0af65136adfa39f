"""An independent family of filled returns, written without templates/, pipeline/simulate or generate.

Own seeded values (values.py) in every writing of the record contract; DOCX written directly with
python-docx and raw OOXML (coop.py, base.py, ooxml.py, choices_render.py) in four layout families:

- sample: the printed sample's grid re-typed (6 columns, groups merged down; base: 4-column facts,
  sections as paragraphs under their headings);
- wps: a re-typed label|value table, labels spaced out / over two lines or runs / half-width, groups
  merged down, repeated, a header row or not printed; basic facts sometimes typed as lines or boxed
  cells with two label–value pairs a line; long text split into a label-less table on the next page;
- sdt: content controls (inline and block, long values over several paragraphs), w14 and FORMCHECKBOX
  boxes;
- doc: a sample or wps return saved as legacy .doc by LibreOffice.

Every return has 承诺书 pairs on one line (推荐单位：…  被推荐机构：…); 八、单位意见 comes as one cell,
label + rows, paragraphs, or boxed label：opinion cells, empty opinions included; half the returns
have page-number footers. family.build_family(out_dir, seed=…, n=…) → list[Sample]; seeds from
HOLDOUT_SEED on are the HOLDOUT split (measure only), below are TUNE.
"""
