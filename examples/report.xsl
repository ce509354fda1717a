<?xml version="1.0" encoding="UTF-8"?>
<!-- portability-calc: the HTML report (XHTML, printable on A4).
     Input: the report document portability-calc builds (namespace
     urn:libportability:report:1): the worker's history, the schemes and agreements
     with their titles, the result with the agreements and the result without any
     (urn:libportability:result:1), and the portability-gap figures (<gap>), whose bar
     lengths the program works out exactly: this stylesheet does no arithmetic. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="http://www.w3.org/1999/xhtml"
    xmlns:p="urn:libportability:report:1"
    xmlns:r="urn:libportability:result:1"
    xmlns:h="urn:libportability:history:1"
    xmlns:svg="http://www.w3.org/2000/svg"
    xmlns:c="urn:libportability:compare:1"
    exclude-result-prefixes="p r h svg c">

  <xsl:output method="xml" encoding="UTF-8" indent="yes" omit-xml-declaration="yes"
              doctype-system="about:legacy-compat"/>

  <xsl:variable name="with" select="/p:report/p:scenario[@name='with-agreements']/r:result"/>
  <xsl:variable name="without" select="/p:report/p:scenario[@name='without-agreements']/r:result"/>
  <xsl:variable name="person" select="/p:report/h:history/h:person"/>
  <xsl:variable name="text" select="/p:report/p:text"/>

  <xsl:key name="scheme" match="p:scheme" use="@id"/>
  <xsl:key name="agreement" match="p:agreement" use="@id"/>

  <xsl:template match="/p:report">
    <html lang="{/p:report/@lang}">
      <head>
        <meta charset="UTF-8"/>
        <title><xsl:value-of select="$text[@id='title']"/></title>
        <style>
          @page { size: A4; margin: 14mm 14mm 16mm 14mm; }
          body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt;
                 color: #1a1a1a; max-width: 182mm; margin: 0 auto; padding: 8mm 0; line-height: 1.35; }
          h1 { font-size: 17pt; margin: 0 0 2mm 0; }
          h2 { font-size: 13pt; border-bottom: 1.5pt solid #2b5d8a; padding-bottom: 1mm;
               margin: 7mm 0 3mm 0; color: #2b5d8a; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          @media print { h2.newpage { break-before: page; page-break-before: always; } }
          h3 { font-size: 11.5pt; margin: 5mm 0 1.5mm 0; }
          table { border-collapse: collapse; width: 100%; margin: 2mm 0; }
          th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm;
                   border-bottom: 0.5pt solid #c8c8c8; }
          th { background: #eef3f8; font-weight: 600; }
          td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
          .meta { color: #444; margin: 0; }
          .payable { color: #17612e; font-weight: 600; }
          .notpaid { color: #8a2b2b; font-weight: 600; }
          .country { page-break-inside: avoid; break-inside: avoid; border: 0.5pt solid #c8c8c8;
                     border-radius: 2mm; padding: 2mm 4mm; margin: 3mm 0; }
          .why { margin: 1mm 0; }
          .law { font-size: 8.5pt; color: #333; table-layout: fixed; }
          .law td { overflow-wrap: anywhere; word-break: break-word; }
          .law th:nth-child(1) { width: 38%; } .law th:nth-child(2) { width: 12%; }
          .law td { padding: 0.6mm 1.5mm; }
          .small { font-size: 8.5pt; color: #555; }
          .legend span { display: inline-block; width: 9pt; height: 9pt; margin: 0 1mm -1pt 3mm; }
          .receipt { font-size: 8pt; color: #555; word-break: break-all; }
          .claim { page-break-inside: avoid; break-inside: avoid; border-left: 2pt solid #2b5d8a;
                   padding: 0.5mm 0 0.5mm 3mm; margin: 2.5mm 0; }
          .claim h3 { margin: 0 0 1mm 0; }
          .claim dl { display: grid; grid-template-columns: 28mm 1fr; gap: 0.6mm 2mm; margin: 0; }
          .claim dt { font-weight: 600; } .claim dd { margin: 0; overflow-wrap: anywhere; }
          .claim ul { margin: 0; padding-left: 4mm; }
          h2.place { margin-top: 5mm; }
          .owed { page-break-inside: avoid; break-inside: avoid; }
          .owed h3 { font-weight: 600; font-size: 10.5pt; color: #333; margin: 2mm 0 1mm 0; }
          p.line { margin: 1mm 0 0.5mm 0; font-size: 11.5pt; }
          p.line .amount { font-weight: 700; color: #17612e; }
          p.nothing { color: #555; font-size: 10.5pt; }
          p.corridor { font-size: 10.5pt; }
          ul.notes { margin: 0.5mm 0 1.5mm 0; padding-left: 5mm; }
          .alternatives { background: #fff6e0; border: 0.5pt solid #c9a227; padding: 1.5mm 3mm; }
          @media print { .country { box-shadow: none; } a { color: inherit; text-decoration: none; } }
        </style>
      </head>
      <body>
        <!-- Page 1 (examples/calc/page1.c): what the worker gets from each country, in
             the report's language, as the program wrote it; nothing here is an id. -->
        <h1><xsl:value-of select="$text[@id='title']"/></h1>
        <p class="meta"><xsl:value-of select="/p:report/p:page1/p:worker"/></p>
        <xsl:for-each select="/p:report/p:page1/p:country">
          <div class="owed">
            <h2 class="place"><xsl:value-of select="@name"/></h2>
            <xsl:for-each select="p:line">
              <xsl:if test="position() = 1 or @title != preceding-sibling::p:line[1]/@title">
                <h3><xsl:value-of select="@title"/></h3>
              </xsl:if>
              <xsl:choose>
                <xsl:when test="@kind = 'nothing'"><p class="line nothing"><xsl:value-of select="p:what"/></p></xsl:when>
                <xsl:otherwise>
                  <p class="line"><strong><xsl:value-of select="p:what"/>:</strong>&#160;<span class="amount"><xsl:value-of select="p:amount"/></span>,
                    <xsl:value-of select="p:when"/>.</p>
                </xsl:otherwise>
              </xsl:choose>
              <xsl:if test="p:note">
                <ul class="notes"><xsl:for-each select="p:note"><li><xsl:value-of select="."/></li></xsl:for-each></ul>
              </xsl:if>
            </xsl:for-each>
          </div>
        </xsl:for-each>
        <xsl:if test="not(/p:report/p:page1/p:country)">
          <p class="line nothing"><xsl:value-of select="$text[@id='nothing']"/></p>
        </xsl:if>
        <xsl:if test="/p:report/p:page1/@alternatives = 'true'">
          <p class="alternatives"><xsl:value-of select="$text[@id='alternatives']"/></p>
        </xsl:if>
        <!-- the corridors (examples/calc/corridors.c): the agreement between two
             countries of the career and what it changes, or what its absence means -->
        <xsl:if test="/p:report/p:page1/p:corridor">
          <div class="owed corridors">
            <h2 class="place"><xsl:value-of select="$text[@id='corridors']"/></h2>
            <xsl:for-each select="/p:report/p:page1/p:corridor">
              <p class="line corridor"><xsl:value-of select="p:headline"/></p>
              <xsl:if test="p:note">
                <ul class="notes"><xsl:for-each select="p:note"><li><xsl:value-of select="."/></li></xsl:for-each></ul>
              </xsl:if>
            </xsl:for-each>
          </div>
        </xsl:if>

        <xsl:if test="/p:report/p:claim">
          <h2><xsl:value-of select="$text[@id='claim']"/></h2>
          <xsl:for-each select="/p:report/p:claim">
            <div class="claim">
              <h3><xsl:value-of select="@country-name"/>: <xsl:value-of select="@title"/></h3>
              <dl>
                <xsl:call-template name="claim-field">
                  <xsl:with-param name="label" select="$text[@id='where']"/><xsl:with-param name="items" select="p:office"/>
                </xsl:call-template>
                <xsl:call-template name="claim-field">
                  <xsl:with-param name="label" select="$text[@id='form']"/><xsl:with-param name="items" select="p:form"/>
                </xsl:call-template>
                <xsl:call-template name="claim-field">
                  <xsl:with-param name="label" select="$text[@id='online']"/><xsl:with-param name="items" select="p:link"/>
                </xsl:call-template>
                <xsl:call-template name="claim-field">
                  <xsl:with-param name="label" select="$text[@id='by-when']"/><xsl:with-param name="items" select="p:deadline"/>
                  <xsl:with-param name="strong" select="true()"/>
                </xsl:call-template>
                <xsl:call-template name="claim-field">
                  <xsl:with-param name="label" select="$text[@id='bring']"/><xsl:with-param name="items" select="p:bring"/>
                  <xsl:with-param name="list" select="true()"/>
                </xsl:call-template>
              </dl>
            </div>
          </xsl:for-each>
        </xsl:if>

        <!-- the appendix starts on a page of its own: page 1 is what the worker keeps -->
        <h2 class="newpage"><xsl:value-of select="$text[@id='appendix']"/></h2>
        <p class="meta">
          Case <strong><xsl:value-of select="$with/@history"/></strong>,
          claim for an <xsl:choose>
            <xsl:when test="/p:report/h:history/h:claim/@benefit"><xsl:value-of select="/p:report/h:history/h:claim/@benefit"/></xsl:when>
            <xsl:otherwise>old-age</xsl:otherwise></xsl:choose>
          pension from <xsl:value-of select="$with/@claim-date"/>.
          Worker born <xsl:value-of select="$person/@birth-date"/>,
          national of <xsl:value-of select="$person/@nationality"/>,
          living in <xsl:value-of select="$person/@residence"/>.
        </p>
        <h3>Summary</h3>
        <table>
          <tr><th>Country</th><th>Scheme</th><th>Status</th><th>How</th>
              <th style="text-align:right">Payable</th><th>How often</th></tr>
          <xsl:for-each select="$with/r:entitlement">
            <tr>
              <td><xsl:value-of select="key('scheme', @scheme)/@country"/></td>
              <td><xsl:value-of select="@scheme"/></td>
              <td><xsl:call-template name="status"/></td>
              <td><xsl:value-of select="@method"/>
                <xsl:if test="@agreement"> (<xsl:value-of select="@agreement"/>)</xsl:if></td>
              <xsl:choose>
                <xsl:when test="@status = 'payable'">
                  <td class="num"><xsl:call-template name="figure"/>&#160;<xsl:value-of select="@currency"/></td>
                  <td><xsl:call-template name="frequency"/></td>
                </xsl:when>
                <xsl:otherwise><td class="num">nothing</td><td/></xsl:otherwise>
              </xsl:choose>
            </tr>
          </xsl:for-each>
          <xsl:for-each select="$with/r:lump-sum[@available='true']">
            <tr>
              <td><xsl:value-of select="key('scheme', @scheme)/@country"/></td>
              <td><xsl:value-of select="@scheme"/></td>
              <td><span class="payable">available</span></td>
              <td><xsl:value-of select="@option"/> (<xsl:value-of select="@kind"/>)</td>
              <td class="num"><xsl:call-template name="figure"/>&#160;<xsl:value-of select="@currency"/></td>
              <td>once, instead of the periods</td>
            </tr>
          </xsl:for-each>
        </table>
        <!-- a chart only where a country pays something with or without the agreements -->
        <xsl:variable name="gaps" select="/p:report/p:gap[@with-bar != '0' or @without-bar != '0']"/>
        <xsl:if test="$gaps">
          <h3><xsl:value-of select="$text[@id='gap']"/></h3>
          <p class="legend small">Payable a year, with the agreements in force
            <span style="background:#2b5d8a">&#160;</span> and as if there were none
            <span style="background:#c9a227">&#160;</span></p>
          <xsl:for-each select="$gaps[not(@country = preceding-sibling::p:gap[@with-bar != '0' or @without-bar != '0']/@country)]">
            <xsl:variable name="c" select="@country"/>
            <xsl:call-template name="chart">
              <xsl:with-param name="gaps" select="$gaps[@country = $c]"/>
            </xsl:call-template>
          </xsl:for-each>
        </xsl:if>

        <!-- the detail starts on a page of its own: page 1 is what the worker keeps -->
        <h3><xsl:value-of select="$text[@id='detail']"/></h3>
        <xsl:apply-templates select="$with/r:entitlement"/>

        <xsl:if test="$with/r:lump-sum">
          <h3><xsl:value-of select="$text[@id='lump-sums']"/></h3>
          <xsl:apply-templates select="$with/r:lump-sum"/>
        </xsl:if>

        <xsl:if test="$with/r:note">
          <h3><xsl:value-of select="$text[@id='notes']"/></h3>
          <ul>
            <xsl:for-each select="$with/r:note">
              <li><xsl:value-of select="@scheme"/><xsl:if test="@line"> (line <xsl:value-of select="@line"/>)</xsl:if>:
                <xsl:value-of select="."/></li>
            </xsl:for-each>
          </ul>
        </xsl:if>

        <h3><xsl:value-of select="$text[@id='receipt']"/></h3>
        <p class="receipt">
          Library <xsl:value-of select="$with/@library-version"/>;
          rules <xsl:value-of select="$with/@rules-digest"/>;
          input <xsl:value-of select="$with/@input-digest"/>.
          Amounts are exact; where a figure was rounded, its exact value is given.
        </p>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="status">
    <xsl:choose>
      <xsl:when test="@status='payable' and @provisional='true'"><span class="payable">payable</span> (provisional)</xsl:when>
      <xsl:when test="@status='payable'"><span class="payable">payable</span></xsl:when>
      <xsl:when test="@status='cannot-compute'"><span class="notpaid">cannot be computed</span></xsl:when>
      <xsl:otherwise><span class="notpaid"><xsl:value-of select="@status"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Why a scheme could not be computed, and which figures rest on values held
       past their last published date. -->
  <xsl:template name="gaps">
    <xsl:if test="r:cannot-compute">
      <p class="why"><strong>This scheme cannot be computed for this career</strong><xsl:choose>
        <xsl:when test="r:cannot-compute/@parameter">: the rule set has no value of
          <em><xsl:value-of select="r:cannot-compute/@parameter"/></em> for
          <xsl:value-of select="r:cannot-compute/@date"/></xsl:when>
        <xsl:otherwise>: <xsl:value-of select="r:cannot-compute"/></xsl:otherwise></xsl:choose>.
        Every other figure of this report stands.
        <span class="small">(<xsl:value-of select="r:cannot-compute/@file"/>, line
          <xsl:value-of select="r:cannot-compute/@line"/>)</span></p>
    </xsl:if>
    <xsl:if test="r:provisional">
      <p class="why"><strong>Provisional.</strong> This figure uses
        <xsl:for-each select="r:provisional"><em><xsl:value-of select="@parameter"/></em> as last
          published (the new value was due from <xsl:value-of select="@since"/>)<xsl:if test="position() != last()">; </xsl:if></xsl:for-each>:
        it will change when the new value is published.</p>
    </xsl:if>
  </xsl:template>

  <xsl:template name="frequency">
    <xsl:choose>
      <xsl:when test="@frequency='monthly'">a month</xsl:when>
      <xsl:when test="@frequency='yearly'">a year</xsl:when>
      <xsl:otherwise><xsl:value-of select="@frequency"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One bar chart per country: two bars per scheme (with / without agreements). -->
  <xsl:template name="chart">
    <xsl:param name="gaps"/>
    <div class="country">
      <h3><xsl:value-of select="$gaps[1]/@country"/></h3>
      <svg xmlns="http://www.w3.org/2000/svg" width="640" height="{count($gaps) * 58 + 8}"
           viewBox="0 0 640 {count($gaps) * 58 + 8}" role="img">
        <xsl:for-each select="$gaps">
          <xsl:variable name="y" select="(position() - 1) * 58"/>
          <text x="0" y="{$y + 20}" font-size="12" font-family="sans-serif" font-weight="bold"><xsl:value-of select="@scheme"/></text>
          <rect x="90" y="{$y + 6}" width="{@with-bar}" height="20" fill="#2b5d8a"/>
          <text x="{@with-bar + 96}" y="{$y + 21}" font-size="11" font-family="sans-serif"><xsl:value-of select="@with"/>&#160;<xsl:value-of select="@currency"/></text>
          <rect x="90" y="{$y + 29}" width="{@without-bar}" height="20" fill="#c9a227"/>
          <text x="{@without-bar + 96}" y="{$y + 44}" font-size="11" font-family="sans-serif"><xsl:value-of select="@without"/>&#160;<xsl:value-of select="@currency"/></text>
          <line x1="90" y1="{$y + 3}" x2="90" y2="{$y + 52}" stroke="#555" stroke-width="1"/>
        </xsl:for-each>
      </svg>
      <p class="small">
        <xsl:for-each select="$gaps">
          <xsl:value-of select="@scheme"/>: the agreements add
          <strong><xsl:value-of select="@difference"/>&#160;<xsl:value-of select="@currency"/></strong> a year<xsl:if test="position() != last()">; </xsl:if>
        </xsl:for-each>.
      </p>
    </div>
  </xsl:template>

  <!-- the amount of the current entitlement or lump sum with grouped digits (the
       report document's <figure>, written by the calculator), else as the result has it -->
  <xsl:template name="figure">
    <xsl:variable name="s" select="@scheme"/>
    <xsl:variable name="o" select="@option"/>
    <xsl:variable name="f" select="/p:report/p:figure[@scheme = $s and (($o and @option = $o) or (not($o) and not(@option)))]"/>
    <xsl:choose>
      <xsl:when test="$f"><xsl:value-of select="$f[1]/@amount"/></xsl:when>
      <xsl:when test="@option"><xsl:value-of select="@value"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="r:amount[@kind='payable']/@value"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a claim item's text, a link when it has a url (printed as its address on paper);
       strong: in bold (a deadline) -->
  <xsl:template name="claim-text">
    <xsl:param name="strong" select="false()"/>
    <xsl:choose>
      <xsl:when test="starts-with(@url, 'https://') or starts-with(@url, 'http://')"><a href="{@url}"><xsl:value-of select="."/></a>
        <span class="small"> (<xsl:value-of select="@url"/>)</span></xsl:when>
      <!-- any other address (javascript:, data:, file:) is printed, never a link -->
      <xsl:when test="@url"><xsl:value-of select="."/>
        <span class="small"> (<xsl:value-of select="@url"/>)</span></xsl:when>
      <xsl:when test="$strong"><strong><xsl:value-of select="."/></strong></xsl:when>
      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a field of a claim (examples/calc/claims.c): its label once, then its one item,
       or every item as a list when the rules give several (two offices, three forms)
       or when it is a list by nature (the documents to bring) -->
  <xsl:template name="claim-field">
    <xsl:param name="label"/>
    <xsl:param name="items"/>
    <xsl:param name="strong" select="false()"/>
    <xsl:param name="list" select="false()"/>
    <xsl:if test="$items">
      <dt><xsl:value-of select="$label"/></dt>
      <dd>
        <xsl:choose>
          <xsl:when test="count($items) = 1 and not($list)">
            <xsl:for-each select="$items"><xsl:call-template name="claim-text">
              <xsl:with-param name="strong" select="$strong"/></xsl:call-template></xsl:for-each>
          </xsl:when>
          <xsl:otherwise>
            <ul><xsl:for-each select="$items"><li><xsl:call-template name="claim-text">
              <xsl:with-param name="strong" select="$strong"/></xsl:call-template></li></xsl:for-each></ul>
          </xsl:otherwise>
        </xsl:choose>
      </dd>
    </xsl:if>
  </xsl:template>

  <xsl:template match="r:entitlement">
    <xsl:variable name="chosen" select="@agreement"/>
    <div class="country">
      <h3><xsl:value-of select="key('scheme', @scheme)/@country"/>&#160;·&#160;<xsl:value-of select="@scheme"/>:
        <xsl:value-of select="key('scheme', @scheme)/@title"/></h3>
      <p class="why">
        <xsl:choose>
          <xsl:when test="@status='payable'">
            <span class="payable">Payable: <xsl:value-of select="r:amount[@kind='payable']/@value"/>&#160;<xsl:value-of select="@currency"/>&#160;<xsl:call-template name="frequency"/></span>
          </xsl:when>
          <xsl:when test="@status='cannot-compute'"><span class="notpaid">Cannot be computed</span></xsl:when>
          <xsl:otherwise><span class="notpaid">Nothing payable (<xsl:value-of select="@status"/>)</span></xsl:otherwise>
        </xsl:choose>
        — method <xsl:value-of select="@method"/><xsl:if test="@agreement">, under the
        <xsl:value-of select="key('agreement', @agreement)/@title"/> (<xsl:value-of select="@agreement"/>)</xsl:if>.
        Periods: <xsl:value-of select="r:periods/@own"/> <xsl:text> </xsl:text><xsl:value-of select="r:periods/@unit"/>(s) of this
        scheme<xsl:if test="r:periods/@totalised != r:periods/@own">, <xsl:value-of select="r:periods/@totalised"/> with the partner
        countries' periods added</xsl:if>.
        Qualifies alone: <xsl:value-of select="r:eligible/@alone"/>; with totalisation: <xsl:value-of select="r:eligible/@totalised"/>.
        <xsl:if test="r:export">Can be paid while living in <xsl:value-of select="r:export/@residence"/>:
          <strong><xsl:choose><xsl:when test="r:export/@allowed='true'">yes</xsl:when><xsl:otherwise>no</xsl:otherwise></xsl:choose></strong>.</xsl:if>
      </p>
      <xsl:call-template name="gaps"/>
      <table>
        <tr><th>Amount</th><th style="text-align:right">Value</th><th>Exact</th></tr>
        <xsl:for-each select="r:amount">
          <tr><td><xsl:value-of select="@kind"/></td>
              <td class="num"><xsl:value-of select="@value"/>&#160;<xsl:value-of select="../@currency"/></td>
              <td class="small"><xsl:value-of select="@exact"/>&#160;</td></tr>
        </xsl:for-each>
      </table>
      <xsl:if test="r:trace/r:step">
        <table class="law">
          <tr><th>Step</th><th>Value</th><th>Law</th></tr>
          <xsl:for-each select="r:trace/r:step[not(/p:report/p:agreement[@id != string($chosen)
                                  and contains(current()/@rule, concat('[', @id, ']'))])]">
            <tr>
              <td><xsl:value-of select="substring-after(@rule, '/')"/></td>
              <td><xsl:value-of select="@value"/></td>
              <td><xsl:value-of select="r:source/@cite"/>
                <xsl:if test="starts-with(r:source/@url, 'https://') or starts-with(r:source/@url, 'http://')"> — <a href="{r:source/@url}"><xsl:value-of select="r:source/@url"/></a></xsl:if>
                <xsl:if test="r:source/@url and not(starts-with(r:source/@url, 'https://') or starts-with(r:source/@url, 'http://'))"> — <xsl:value-of select="r:source/@url"/></xsl:if>
                <!-- the rule-set values the step read, each with its own citation -->
                <xsl:for-each select="r:input[@cite]">
                  <br/><span class="small">uses <xsl:value-of select="@name"/> = <xsl:value-of select="@value"/>
                    (<xsl:if test="@at">on <xsl:value-of select="@at"/></xsl:if><xsl:if test="@row">, row <xsl:value-of select="@row"/></xsl:if>;
                    <xsl:value-of select="@cite"/><xsl:if test="@grade">, grade <xsl:value-of select="@grade"/></xsl:if>)</span>
                </xsl:for-each></td>
            </tr>
          </xsl:for-each>
        </table>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="r:lump-sum">
    <xsl:variable name="s" select="@scheme"/>
    <xsl:variable name="o" select="@option"/>
    <div class="country">
      <h3><xsl:value-of select="@scheme"/> / <xsl:value-of select="@option"/> (<xsl:value-of select="@kind"/>):
        <xsl:value-of select="@value"/>&#160;<xsl:value-of select="@currency"/></h3>
      <p class="why">
        <xsl:choose>
          <xsl:when test="@error"><span class="notpaid">Cannot be computed for this career:
            <xsl:value-of select="@error"/></span></xsl:when>
          <xsl:when test="@available='true'"><span class="payable">Available now: every condition is met.</span></xsl:when>
          <xsl:otherwise><span class="notpaid">Not available now: a condition is not met.</span></xsl:otherwise>
        </xsl:choose>
        <xsl:if test="@forfeits-periods='true'"> Taking it erases the periods it pays for: they no longer count
          for a pension, here or through an agreement.</xsl:if>
        <xsl:for-each select="/p:report/p:lump-sum-months[@scheme = $s and @option = $o]">
          It equals <strong><xsl:value-of select="@months"/> months</strong> of the
          <xsl:value-of select="$s"/> pension: after that many months, the pension has paid more.
        </xsl:for-each>
      </p>
      <xsl:call-template name="gaps"/>
      <table class="law">
        <tr><th>Condition</th><th>Met</th><th>Law</th></tr>
        <xsl:for-each select="r:condition">
          <tr><td><xsl:value-of select="@id"/></td>
              <td><xsl:choose><xsl:when test="@met='true'">yes</xsl:when><xsl:otherwise><strong>no</strong></xsl:otherwise></xsl:choose></td>
              <td><xsl:value-of select="@cite"/>&#160;</td></tr>
        </xsl:for-each>
      </table>
    </div>
  </xsl:template>


  <!-- portability-calc, compare mode with format html: two scenarios of one career side
       by side (examples/calc/compare.c writes the figures as text: no arithmetic
       here). English only, like the text comparison. -->
  <xsl:template match="/c:comparison">
    <html lang="en">
      <head>
        <meta charset="UTF-8"/>
        <title>Comparison of two scenarios: <xsl:value-of select="@case"/></title>
        <style>
          @page { size: A4; margin: 14mm; }
          body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt;
                 color: #1a1a1a; max-width: 182mm; margin: 0 auto; padding: 8mm 0; }
          h1 { font-size: 17pt; margin: 0 0 2mm 0; }
          h2 { font-size: 13pt; border-bottom: 1.5pt solid #2b5d8a; color: #2b5d8a; margin: 6mm 0 2mm 0; }
          table { border-collapse: collapse; width: 100%; }
          th, td { text-align: left; padding: 1.2mm 2mm; border-bottom: 0.5pt solid #c8c8c8; vertical-align: top; }
          th { background: #eef3f8; }
          td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
          .small { font-size: 8.5pt; color: #555; }
        </style>
      </head>
      <body>
        <h1>Comparison of two scenarios</h1>
        <p>Case <strong><xsl:value-of select="@case"/></strong>, claim on <xsl:value-of select="@claim-date"/>.</p>
        <p>A: <xsl:value-of select="c:scenario[@id='A']/@label"/>. B: <xsl:value-of select="c:scenario[@id='B']/@label"/>.</p>
        <h2>Pensions</h2>
        <xsl:choose>
          <xsl:when test="c:difference">
            <table>
              <tr><th>Scheme</th><th>Paid</th><th class="num">A</th><th class="num">B</th><th class="num">B &#8722; A</th></tr>
              <xsl:for-each select="c:difference">
                <tr>
                  <td><xsl:value-of select="@scheme"/></td>
                  <td><xsl:value-of select="@currency"/>&#160;<xsl:value-of select="@per"/></td>
                  <td class="num"><xsl:call-template name="compare-cell"><xsl:with-param name="v" select="@a-text"/><xsl:with-param name="st" select="@status-a"/></xsl:call-template></td>
                  <td class="num"><xsl:call-template name="compare-cell"><xsl:with-param name="v" select="@b-text"/><xsl:with-param name="st" select="@status-b"/></xsl:call-template></td>
                  <td class="num"><xsl:choose><xsl:when test="@b-minus-a-text"><xsl:value-of select="@b-minus-a-text"/></xsl:when><xsl:otherwise>&#8212;</xsl:otherwise></xsl:choose></td>
                </tr>
              </xsl:for-each>
            </table>
          </xsl:when>
          <xsl:otherwise><p>No pension scheme in this career.</p></xsl:otherwise>
        </xsl:choose>
        <xsl:if test="c:total">
          <h2>Total a year</h2>
          <table>
            <tr><th>Currency</th><th class="num">A</th><th class="num">B</th><th class="num">B &#8722; A</th></tr>
            <xsl:for-each select="c:total">
              <tr><td><xsl:value-of select="@currency"/></td><td class="num"><xsl:value-of select="@a-text"/></td>
                  <td class="num"><xsl:value-of select="@b-text"/></td><td class="num"><xsl:value-of select="@b-minus-a-text"/></td></tr>
            </xsl:for-each>
          </table>
          <xsl:if test="c:not-in-totals">
            <p class="small">Not in the totals, because the rules could not compute them:
              <xsl:for-each select="c:not-in-totals"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="@scheme"/></xsl:for-each>.</p>
          </xsl:if>
        </xsl:if>
        <xsl:if test="c:lump-sum">
          <h2>Lump sums (once)</h2>
          <table>
            <tr><th>Scheme / option</th><th class="num">A</th><th class="num">B</th></tr>
            <xsl:for-each select="c:lump-sum">
              <tr>
                <td><xsl:value-of select="@scheme"/> / <xsl:value-of select="@option"/><xsl:if test="@employer"> (<xsl:value-of select="@employer"/>)</xsl:if></td>
                <td class="num"><xsl:value-of select="@a-text"/></td>
                <td class="num"><xsl:value-of select="@b-text"/></td>
              </tr>
            </xsl:for-each>
          </table>
        </xsl:if>
        <p class="small">Figures as the rules round them; the exact values are in
          <code>--compare --format xml</code> or <code>json</code>.</p>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="compare-cell">
    <xsl:param name="v"/>
    <xsl:param name="st"/>
    <xsl:choose><xsl:when test="$v"><xsl:value-of select="$v"/></xsl:when><xsl:otherwise>&#8212;</xsl:otherwise></xsl:choose>
    <br/><span class="small"><xsl:value-of select="$st"/></span>
  </xsl:template>


</xsl:stylesheet>
