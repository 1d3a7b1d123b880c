"""Online patrols (网上巡查): findings, rectification orders (责令限期整改), 签收 and follow-ups."""
